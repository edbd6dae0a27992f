import sys

from trpm6_hsh.cli import main

sys.exit(main())
