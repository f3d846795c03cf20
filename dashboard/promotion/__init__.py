"""Comparing a connector across two environments, and promoting a version from one to the
other (docs/environments.md, "Compare and promote")."""
