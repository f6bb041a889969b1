"""Integrations with optional dependencies (``pip install 'policylint[dask]'``)."""
