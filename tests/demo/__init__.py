"""The demo data (`manage.py seed_demo`); a package so that it is seeded once for all."""
