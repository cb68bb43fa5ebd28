"""`python -m releve.tui.cli`: the releve command."""

from releve.tui.cli import main

raise SystemExit(main())
