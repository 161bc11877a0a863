"""``python -m intcust``: the ``intcust`` command, with the same exit codes."""

import sys

from intcust.cli import main

if __name__ == "__main__":
    sys.exit(main())
