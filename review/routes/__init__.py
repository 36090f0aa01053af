"""The review app's routes, one module per page."""
