"""Environments: the Connect API targets one Patchbay manages (production, staging...).

`registry` says which there are and gives each its client; `middleware` picks the one a request
shows from its URL (`/env/<slug>/...`, none: the default); `roles` sets a user's permissions by
their role in that environment. See docs/environments.md.
"""
