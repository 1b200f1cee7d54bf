"""`python -m microcare_tui` runs the same entry point as `microcare`."""

from microcare_tui.cli import main

raise SystemExit(main())
