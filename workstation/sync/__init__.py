"""The hub client and the background outbox drain. No Qt here."""
