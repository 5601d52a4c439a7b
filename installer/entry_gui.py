"""Frozen entry point of `fupin-gui` (windowed program): `fupin-gui [--db PATH]` opens the window."""

import sys

from fupin_desktop.cli import gui

if __name__ == "__main__":
    sys.exit(gui())
