"""The daily credibility digest sent to analysts by email."""
