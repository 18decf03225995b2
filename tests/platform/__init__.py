"""Capture protection: each OS module against a fake of its native calls, and the Qt guard."""
