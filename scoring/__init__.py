"""Attack claims extracted from posts and the credibility score of each."""
