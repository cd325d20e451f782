"""`python -m daftar` runs the `daftar` command."""

import sys

from daftar.cli import main

sys.exit(main())
