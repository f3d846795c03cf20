"""One module per resource of the Connect API; `ConnectClient` exposes each as a property."""
