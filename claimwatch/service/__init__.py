"""`claimwatch run`: the background service, a schedule of the same functions the CLI calls."""
