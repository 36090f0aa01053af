"""The `claimwatch` command line."""
