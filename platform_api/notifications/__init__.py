"""Notifications: the caller's notification centre, e-mail choices and the tenant's webhooks."""
