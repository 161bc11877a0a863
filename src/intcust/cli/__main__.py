"""``python -m intcust.cli``."""

import sys

from intcust.cli import main

if __name__ == "__main__":
    sys.exit(main())
