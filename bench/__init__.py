"""Benchmarks: printed figures, never timed assertions (run e.g. ``python -m bench.bench_allocation``)."""
