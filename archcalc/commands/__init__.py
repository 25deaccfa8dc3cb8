"""One module per CLI command (see archcalc.cli.COMMANDS)."""
