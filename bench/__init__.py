"""Benchmarks and the quality evaluation's outputs (never imported by the product)."""
