"""The web plumbing every feature app shares: htmx rendering and redirects, toasts, the
upstream-failure panel, the API's errors on forms, row formsets, markup for long tables.

It sits beneath the feature apps (it imports none of them) and above the service layer."""
