"""`python -m fupin_desktop.cli …` is `fupin …`."""

import sys

from fupin_desktop.cli import main

sys.exit(main())
