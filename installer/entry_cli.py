"""Frozen entry point of `fupin` (console program): the command line."""

import sys

from fupin_desktop.cli import main

if __name__ == "__main__":
    sys.exit(main())
