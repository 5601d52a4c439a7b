"""`python -m fupin_desktop` opens the GUI; with a command it behaves like `fupin`."""

import sys

from fupin_desktop.cli import COMMANDS, main

if __name__ == "__main__":
    argv = sys.argv[1:]
    commands = {name for name, _module, _help in COMMANDS}
    if not commands & set(argv) and not {"-h", "--help", "--version"} & set(argv):
        argv.append("gui")
    sys.exit(main(argv))
