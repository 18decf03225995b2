"""Taxonomy, shift state, the local label store and its outbox. No Qt here."""
