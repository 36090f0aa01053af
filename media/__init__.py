"""Video and image fingerprints, the index over them, and matches between files."""
