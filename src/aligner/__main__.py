"""``python -m aligner`` runs the command-line interface."""

from aligner.cli.main import main

raise SystemExit(main())
