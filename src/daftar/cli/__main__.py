"""`python -m daftar.cli` runs the `daftar` command."""

import sys

from daftar.cli import main

sys.exit(main())
