"""Tunable limits of the hub. The defaults are the product's; tests and the demo may shrink them."""

from __future__ import annotations

from dataclasses import dataclass

from workstation.hub import passwords, throttle


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
    http_header_timeout_s: float = 10.0
    """Connection limits (:mod:`workstation.hub.server`): a connection that has not sent a whole request's
    headers this long after it opened (or after its last answer) is closed …"""
    http_keep_alive_s: float = 5.0
    """… one that sends nothing after an answer is closed after this …"""
    http_max_connections: int = 200
    """… at most this many connections are open (never more than half the process's file descriptors); a new
    one past it pushes out the one that has waited longest for its request headers …"""
    http_backlog: int = 128
    """… and at most this many wait in the kernel's queue to be accepted."""
    enroll_per_address: int = 10
    """Enrollment (public ``POST /devices``): at most this many new workstations per client address …"""
    enroll_window_s: int = 3600
    """… within this window (429 with Retry-After past it; a known key is always answered) …"""
    max_pending_devices: int = 100
    """… and at most this many waiting for approval at once (503 with Retry-After past it)."""
    test_only_password_cost: passwords.Cost | None = None
    """For tests only: hash new passwords (and rehash old ones) with this cheaper scrypt cost, so a test can
    make many users. None — always, outside tests — is :data:`workstation.hub.passwords.DEFAULT_COST`."""
    api_docs: bool = False
    """Serve the interactive API pages (/docs, /redoc); off unless asked for (``hub serve --docs``). The
    OpenAPI schema itself is always at /openapi.json."""
    max_audit_batch: int = 500
    gold_rate: float = 0.05
    """The share of a new shift's clips that are gold clips (known labels, mixed in blindly; rounded per shift) …"""
    overlap_rate: float = 0.10
    """… and the share of clips handed out that go to a second, different annotator (for agreement)."""
    signin_free_failures_per_user_device: int = 5
    """Sign-in throttling (:mod:`workstation.hub.throttle`): failures that cost no wait per user name on one
    workstation (whether or not the user exists) …"""
    signin_free_failures_per_device: int = 20
    """… per workstation, whatever the name (one seat trying many names) …"""
    signin_free_failures_per_address: int = 50
    """… and per client address (several seats may share one behind NAT, hence the most)."""
    signin_first_wait_s: int = 30
    """The wait after a key's free tries are used up; it doubles with each further failure …"""
    signin_max_wait_s: int = 3600
    """… up to this."""
    signin_forget_after_s: int = 24 * 3600
    """A key with no failure for this long is forgotten (its free tries are back)."""

    def __post_init__(self) -> None:
        for name in ("gold_rate", "overlap_rate"):
            if not 0.0 <= getattr(self, name) < 1.0:
                raise ValueError(f"HubConfig.{name} is a share from 0 up to (not including) 1")

    @property
    def password_cost(self) -> passwords.Cost:
        return self.test_only_password_cost or passwords.DEFAULT_COST

    def signin_policy(self) -> throttle.Policy:
        return throttle.Policy(first_wait_s=self.signin_first_wait_s, max_wait_s=self.signin_max_wait_s,
                               forget_after_s=self.signin_forget_after_s)
