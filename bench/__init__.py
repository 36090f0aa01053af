"""Benchmarks that measure claimwatch against the tools analysts would otherwise use."""
