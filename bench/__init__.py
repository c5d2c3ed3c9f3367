"""Benchmarks for lossbook: `make bench` (python -m bench). Every number is a ratio measured side by side."""
