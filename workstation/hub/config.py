"""Tunable limits of the hub. The defaults are the product's; tests and the demo may shrink them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class HubConfig:
    session_ttl_s: int = 12 * 3600
    challenge_ttl_s: int = 60
    default_shift_size: int = 150
    max_shift_size: int = 500
    max_label_batch: int = 500
    max_body_bytes: int = 1024 * 1024
    """Every request body is JSON and small; this cap means nobody can push clip bytes to the hub."""
    download_chunk_bytes: int = 1024 * 1024
    max_audit_batch: int = 500
    signin_window_s: int = 15 * 60
    """Sign-in throttling (:mod:`workstation.hub.throttle`): failures counted within this window …"""
    signin_failures_per_user: int = 5
    """… per user name (whether or not it exists) …"""
    signin_failures_per_device: int = 10
    """… per workstation (one seat trying many names) …"""
    signin_failures_per_address: int = 30
    """… and per client address (several seats may share one behind NAT, hence higher)."""
