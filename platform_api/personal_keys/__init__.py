"""Personal model keys: a user's own provider keys, who pays per agent, the tenant's switch."""
