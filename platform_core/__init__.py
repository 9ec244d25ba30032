"""The lower pieces the API and the activities both stand on.

Settings, the database session and table models, the outbound URL policy, SM4 sealing of
secrets and the MCP client's transport. It imports none of the other top-level packages, so
`platform_api`, `activities`, `migrations` and the composition root (`agentpaas`) may all
import it without a cycle.
"""
