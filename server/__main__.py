"""`python -m server` is the same as the `gloss` command."""

from server.cli import main

raise SystemExit(main())
