"""Benchmarks against the quality budgets of the design (``make bench``)."""
