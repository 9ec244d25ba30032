"""Groups of a tenant's users (departments, committees) named by approval policies, and
the tenant's people directory for picking a delegate or a member."""
