"""The MCP tool registry: topic servers, their tools, and users' tool grants."""
