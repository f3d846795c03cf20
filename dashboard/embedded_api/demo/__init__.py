"""Demo data for the embedded Connect API (`manage.py seed_demo`, run by `make run`).

- `catalogue`: what the demo holds (connectors, library, versions, connections, fates).
- `specs`: the OpenAPI documents versions are imported from.
- `credentials`: credential data (fake secrets, a real client certificate).
- `seed`: writes it all with the embedded API's own building blocks.
"""
