"""Scale data and benchmarks for the dashboards (``python -m bench.run``)."""
