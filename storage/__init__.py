"""The archive: database, content-addressed media store, and the records they hand out."""

from storage.store import Store, open_store

__all__ = ["Store", "open_store"]
