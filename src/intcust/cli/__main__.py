"""``python -m intcust.cli``."""

import sys

from intcust.cli import main

sys.exit(main())
