"""`python -m fupin_desktop` opens the GUI; with a command it behaves like `fupin`."""

import sys

from fupin_desktop.cli import build_parser, main

if __name__ == "__main__":
    argv = sys.argv[1:]
    commands = set(build_parser([])._subparsers._group_actions[0].choices)  # type: ignore[union-attr]
    if not commands & set(argv) and not {"-h", "--help", "--version"} & set(argv):
        argv.append("gui")
    sys.exit(main(argv))
