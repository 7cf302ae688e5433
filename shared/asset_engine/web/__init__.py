"""The HTTP side every function shares: app factory, error envelope, dependencies, health."""
