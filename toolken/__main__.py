"""`python -m toolken ...` runs the `toolken` command (so `torchrun -m toolken train ...` can start it)."""

import sys

from .cli import main

sys.exit(main())
