"""The tool store: MCP servers a tenant admin installs (register, discover, grant)."""
