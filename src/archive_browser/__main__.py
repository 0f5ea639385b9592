import sys

from archive_browser.cli import main

sys.exit(main())
