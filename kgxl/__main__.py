import sys

from kgxl.front.cli import main

sys.exit(main())
