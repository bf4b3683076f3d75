"""Bench-only Django app: the same corpus indexed through Wagtail's modelsearch (the peer)."""
