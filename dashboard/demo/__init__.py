"""Demo data for both sides (`manage.py seed_demo`, run by `make run`): the embedded Connect
API's, written with its own building blocks; the users, one per role; and the audit history
behind it all. The one app that may reach into both the embedded API and the dashboard.

- `catalogue`: what the demo holds (connectors, library, versions, connections, fates).
- `specs`: the OpenAPI documents versions are imported from.
- `credentials`: credential data (fake secrets, a real client certificate).
- `seed`: writes the API's data.
- `summary`: what the organisation holds, for the command's report.
- `audit`: the audit log entries of the changes behind the demo data.
"""
