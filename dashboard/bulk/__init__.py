"""Bulk runs: one action over many items, item by item through the service layer."""
