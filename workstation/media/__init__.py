"""Decoding clips through the decrypting reader, probing, synthetic clips. No Qt here."""
