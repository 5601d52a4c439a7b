"""Frozen entry point of `fupin-gui` (windowed program): `fupin-gui [--db PATH]` opens the window."""

import sys

from fupin_desktop.cli import main

if __name__ == "__main__":
    sys.exit(main([*sys.argv[1:], "gui"]))
