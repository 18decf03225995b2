"""Clip container, keys and the encrypted cache. No Qt here."""
