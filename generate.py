#!/usr/bin/env python3
"""Generate audience-tailored briefs: `python generate.py --help`."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from briefs.cli import main

if __name__ == "__main__":
    sys.exit(main())
