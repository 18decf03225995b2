"""Per-OS pieces (capture protection, idle detection) behind one small interface."""
