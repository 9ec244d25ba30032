"""MCP servers the platform serves: its bundled tools, and its published agents as tools."""
