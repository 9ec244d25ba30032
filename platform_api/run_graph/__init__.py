"""The agent version's own graph (nodes, edges, start and end) for a chat or a recorded run."""
