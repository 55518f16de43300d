"""`python -m dropgui` is the `dropgui` command."""

from .cli import main

raise SystemExit(main())
