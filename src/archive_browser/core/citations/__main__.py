"""`python -m archive_browser.core.citations --corpus FILE`: the corpus report."""

from archive_browser.core.citations.report import main

raise SystemExit(main())
