"""Deterministic demo data for `manage.py seed_demo` (see seed.py)."""
