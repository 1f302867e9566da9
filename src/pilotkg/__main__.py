"""``python -m pilotkg``: the same as the ``pilotkg`` command."""

import sys

from .cli import main

sys.exit(main())
