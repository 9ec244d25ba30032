"""Serving the built web UI."""
