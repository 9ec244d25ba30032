"""The composition root: the `agentpaas` CLI, the dev supervisor, the worker's wiring and the seed.

The only package that may import every other one. It builds the API app, the Temporal worker
with its activities and their injected clients, runs migrations and seeds the demo tenant;
the layers below never import it.
"""
