"""Replay checks of candidate versions against the published version's conversations."""
