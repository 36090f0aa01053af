"""`claimwatch demo`: a sample channel built on the spot and run through every stage."""
