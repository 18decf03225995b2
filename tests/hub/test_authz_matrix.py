"""Authorization matrix: every route of the hub × every kind of caller → the expected answer, on a real hub.

The routes come from ``app.routes``: a new endpoint without an entry in ``MATRIX`` fails here. Each case
runs against a hub on loopback over a prepared data folder (users, devices, sessions, shifts, a pending
disposal). Cases that change what other cases rely on (sign-out, closing, labels, disposal decisions)
run on a fresh copy of that folder, with a hub of their own.
"""

from __future__ import annotations

import base64
import secrets
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from tests.hub.conftest import CHEAP_PASSWORDS, HUB_DATABASES
from tests.hub.helpers import PASSWORD, Seat, device_keypair, enroll, hub_sql, label_item, signed_in_seat
from workstation.audit import new_event
from workstation.hub.app import create_app
from workstation.hub.auth import token_hash
from workstation.hub.config import HubConfig
from workstation.hub.provenance import Provenance
from workstation.hub.server import HubServer
from workstation.hub.storage import now_iso
from workstation.vault import sealing
from workstation.wire import signin_message

CONFIG = HubConfig(default_shift_size=2, max_shift_size=5, max_label_batch=20, enroll_per_address=1000,
                   test_only_password_cost=CHEAP_PASSWORDS)
"""Every caller enrolls from 127.0.0.1: more than the 10 new seats an hour an address may enroll."""
CALLERS = ("none", "annotator", "other_annotator", "supervisor", "admin", "revoked_device", "pending_device")


def _app_routes() -> list[tuple[str, str]]:
    """(method, path) of every route the app serves, included routers flattened."""
    with tempfile.TemporaryDirectory() as folder:
        app = create_app(Path(folder) / "hub")
    try:
        from fastapi.routing import iter_route_contexts  # FastAPI ≥ 0.16x includes routers lazily
        routes: list[Any] = list(iter_route_contexts(app.routes))
    except ImportError:
        routes = list(app.routes)
    found = {(method, route.path) for route in routes for method in getattr(route, "methods", None) or ()
             if method != "HEAD"}
    assert len(found) > 20, found
    return sorted(found, key=lambda r: (r[1], r[0]))


ROUTES = _app_routes()


# --------------------------------------------------------------------------- the prepared hub


@dataclass
class Who:
    """One caller: a user on a device, with the token it presents (None: no Authorization header)."""

    user: str
    device_id: str
    device_key: bytes
    token: str | None
    audit_event: dict[str, Any] = field(default_factory=dict)


@dataclass
class World:
    folder: Path
    callers: dict[str, Who]
    shift_id: str
    """The annotator's open shift."""
    clip_id: str
    """A clip of that shift."""
    flagged_clip: str
    """A clip of the other annotator's shift with a pending disposal request."""
    spare_code: str
    """The enrollment code of a device still waiting for approval."""
    spare_device: str
    """An approved device nobody uses."""
    spare_user: str
    gold_clip: str
    """A gold clip (of the other annotator's shift)."""
    consent_ref: str = "C-2025-0001"
    """The consent reference of one clip (the last one ingested)."""


def _who(seat: Seat, user: str) -> Who:
    return Who(user, seat.device_id, seat.device_key, seat.client.session.token if seat.client.session else None)


pytestmark = pytest.mark.sqlite_only  # not per test: the module's one world is made on each database (below)


@pytest.fixture(scope="module", params=HUB_DATABASES)
def world(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
          source_clips: list[Path]) -> Iterator[tuple[World, HubServer]]:
    folder = tmp_path_factory.mktemp("matrix") / "hub"
    database = (request.getfixturevalue("pg_cluster").create_database() if request.param == "postgresql"
                else f"sqlite:///{folder / 'hub.db'}")
    with HubServer(folder, config=CONFIG, database=database) as server:
        service = server.service
        assert all(r.status == "ok" for r in service.ingest(source_clips))
        assert service.ingest(source_clips[-1:], provenance=Provenance("customer", World.consent_ref))[0].reason == \
            "already ingested; its provenance is recorded now"
        ana = signed_in_seat(server, "ana")
        ben = signed_in_seat(server, "ben")
        sue = signed_in_seat(server, "sue", "supervisor")
        ada = signed_in_seat(server, "ada", "admin")
        rex = signed_in_seat(server, "rex")
        shift = ana.client.start_shift(sealing.generate_shift_keypair()[1])
        bens = ben.client.start_shift(sealing.generate_shift_keypair()[1])
        flagged = bens.clips[0].clip_id
        ben.client.post_labels([label_item(bens.shift_id, flagged, "sensitive", kind="flag", reason="minor")])
        service.revoke_device(rex.device_id)  # rex keeps the token issued before the revocation

        service.add_user("pam", "annotator", PASSWORD)
        pending = enroll(server.base_url, "pending seat")
        forged = secrets.token_urlsafe(32)  # as if a token had been issued to a device that is not approved
        with hub_sql(server) as db:
            db.execute("INSERT INTO sessions (token_hash, user, device_id, created_at, expires_at) "
                       "VALUES (?, ?, ?, ?, ?)",
                       [token_hash(forged), "pam", pending.device_id, now_iso(), now_iso(3600)])
        spare_pending = enroll(server.base_url, "spare pending seat")
        spare = enroll(server.base_url, "spare approved seat")
        service.approve_device(spare.enrollment_code)
        service.add_user("vic", "annotator", PASSWORD)
        service.add_gold(bens.clips[1].clip_id, "person", actor="test")

        callers = {
            "none": Who("ana", ana.device_id, ana.device_key, None),
            "annotator": _who(ana, "ana"), "other_annotator": _who(ben, "ben"), "supervisor": _who(sue, "sue"),
            "admin": _who(ada, "ada"), "revoked_device": _who(rex, "rex"),
            "pending_device": Who("pam", pending.device_id, pending.device_key, forged),
        }
        for who in callers.values():
            who.audit_event = new_event(None, kind="sign_in", device_id=who.device_id, user=who.user)
        yield World(folder, callers, shift.shift_id, shift.clips[0].clip_id, flagged, spare_pending.enrollment_code,
                    spare.device_id, "vic", bens.clips[1].clip_id), server


# --------------------------------------------------------------------------- what each route is asked


Request = tuple[str, Any]
"""(path, JSON body or None)"""
Build = Callable[[World, Who, str], Request]


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


def _sign_in_body(world: World, who: Who, base_url: str) -> Request:
    answer = httpx.post(f"{base_url}/api/v1/sessions/challenge", json={"device_id": who.device_id})
    nonce = base64.b64decode(answer.json()["nonce"]) if answer.status_code == 200 else secrets.token_bytes(32)
    signature = Ed25519PrivateKey.from_private_bytes(who.device_key).sign(signin_message(nonce, who.user))
    return "/api/v1/sessions", {"username": who.user, "password": PASSWORD, "device_id": who.device_id,
                                "nonce": _b64(nonce), "signature": _b64(signature)}


def _path(template: str) -> Build:
    def build(world: World, who: Who, base_url: str) -> Request:
        return template.format(shift=world.shift_id, clip=world.clip_id, flagged=world.flagged_clip,
                               device=who.device_id, spare=world.spare_device, user=world.spare_user,
                               gold=world.gold_clip), None
    return build


def _body(template: str, make: Callable[[World, Who], Any]) -> Build:
    def build(world: World, who: Who, base_url: str) -> Request:
        return _path(template)(world, who, base_url)[0], make(world, who)
    return build


OK, NO_TOKEN, FORBIDDEN, NOT_FOUND, INVALID = 200, 401, 403, 404, 422
_LOCKED_OUT = {"none": NO_TOKEN, "revoked_device": FORBIDDEN, "pending_device": FORBIDDEN}


def public(code: int = OK) -> dict[str, int]:
    return dict.fromkeys(CALLERS, code)


def signed_in(code: int = OK) -> dict[str, int]:
    return {**dict.fromkeys(CALLERS, code), **_LOCKED_OUT}


def roles(code: int = OK, *, supervisor: bool = True) -> dict[str, int]:
    """Supervisors (when ``supervisor``) and admins get ``code``; annotators 403."""
    return {**signed_in(FORBIDDEN), "supervisor": code if supervisor else FORBIDDEN, "admin": code}


def owner(code: int = OK, *, supervisors: int = NOT_FOUND, others: int = NOT_FOUND) -> dict[str, int]:
    """The annotator's own shift: they get ``code``; another annotator and the supervising roles less."""
    return {**signed_in(others), "annotator": code, "supervisor": supervisors, "admin": supervisors}


@dataclass(frozen=True)
class Case:
    build: Build
    expect: dict[str, int]
    isolated: bool = False
    """Run on a fresh copy of the prepared hub (the request changes what other cases rely on)."""


_KEY = _b64(sealing.generate_shift_keypair()[1])

MATRIX: dict[tuple[str, str], Case] = {
    ("GET", "/openapi.json"): Case(lambda w, c, u: ("/openapi.json", None), public()),
    ("GET", "/api/v1/health"): Case(_path("/api/v1/health"), public()),
    ("POST", "/api/v1/devices"): Case(
        _body("/api/v1/devices", lambda w, c: {"public_key": _b64(device_keypair()[1]), "label": "new seat"}),
        public(201)),
    ("GET", "/api/v1/devices/{device_id}"): Case(_path("/api/v1/devices/{device}"), public()),
    ("POST", "/api/v1/sessions/challenge"): Case(
        _body("/api/v1/sessions/challenge", lambda w, c: {"device_id": c.device_id}),
        {**public(), "revoked_device": FORBIDDEN, "pending_device": FORBIDDEN}),
    ("POST", "/api/v1/sessions"): Case(_sign_in_body,
                                       {**public(), "revoked_device": FORBIDDEN, "pending_device": FORBIDDEN}),
    ("DELETE", "/api/v1/sessions"): Case(_path("/api/v1/sessions"), signed_in(204), isolated=True),
    ("POST", "/api/v1/shifts"): Case(_body("/api/v1/shifts", lambda w, c: {"public_key": _KEY}),
                                     {**signed_in(OK), "supervisor": 201, "admin": FORBIDDEN}),
    ("GET", "/api/v1/shifts/{shift_id}"): Case(_path("/api/v1/shifts/{shift}"), owner(supervisors=OK)),
    ("GET", "/api/v1/shifts/{shift_id}/keys"): Case(_path("/api/v1/shifts/{shift}/keys"), owner()),
    ("GET", "/api/v1/shifts/{shift_id}/keys/{clip_id}"): Case(_path("/api/v1/shifts/{shift}/keys/{clip}"), owner()),
    ("GET", "/api/v1/shifts/{shift_id}/clips/{clip_id}"): Case(_path("/api/v1/shifts/{shift}/clips/{clip}"), owner()),
    ("POST", "/api/v1/shifts/{shift_id}/close"): Case(_path("/api/v1/shifts/{shift}/close"), owner(), isolated=True),
    ("POST", "/api/v1/labels/batch"): Case(
        _body("/api/v1/labels/batch", lambda w, c: {"items": [label_item(w.shift_id, w.clip_id)]}),
        owner(supervisors=OK, others=OK), isolated=True),  # others: 200, the item rejected as not_yours
    ("GET", "/api/v1/audit/head"): Case(_path("/api/v1/audit/head"), signed_in()),
    ("POST", "/api/v1/audit/batch"): Case(_body("/api/v1/audit/batch", lambda w, c: {"events": [c.audit_event]}),
                                          signed_in()),
    ("GET", "/api/v1/audit/verify"): Case(_path("/api/v1/audit/verify"), roles()),
    ("GET", "/api/v1/disposals"): Case(_path("/api/v1/disposals"), roles()),
    ("POST", "/api/v1/disposals/{clip_id}/confirm"): Case(
        _body("/api/v1/disposals/{flagged}/confirm", lambda w, c: {"note": "checked"}), roles(), isolated=True),
    ("POST", "/api/v1/disposals/{clip_id}/reject"): Case(
        _body("/api/v1/disposals/{flagged}/reject", lambda w, c: {}), roles(), isolated=True),
    ("GET", "/api/v1/users"): Case(_path("/api/v1/users"), roles()),
    ("POST", "/api/v1/users/{name}/disable"): Case(_path("/api/v1/users/{user}/disable"), roles(supervisor=False)),
    ("POST", "/api/v1/users/{name}/enable"): Case(_path("/api/v1/users/{user}/enable"), roles(supervisor=False)),
    ("POST", "/api/v1/users/{name}/unlock"): Case(_path("/api/v1/users/{user}/unlock"), roles()),
    ("GET", "/api/v1/devices"): Case(_path("/api/v1/devices"), roles(supervisor=False)),
    ("POST", "/api/v1/devices/approve"): Case(
        _body("/api/v1/devices/approve", lambda w, c: {"enrollment_code": w.spare_code}), roles(supervisor=False)),
    ("POST", "/api/v1/devices/{device_id}/revoke"): Case(_path("/api/v1/devices/{spare}/revoke"),
                                                          roles(supervisor=False)),
    ("GET", "/api/v1/metrics/annotators"): Case(_path("/api/v1/metrics/annotators?group=day"), roles()),
    ("GET", "/api/v1/metrics/hourly"): Case(_path("/api/v1/metrics/hourly?annotator={user}"), roles()),
    ("GET", "/api/v1/metrics/agreement"): Case(_path("/api/v1/metrics/agreement"), roles()),
    ("GET", "/api/v1/annotators/{name}/decisions"): Case(_path("/api/v1/annotators/{user}/decisions"), roles()),
    ("GET", "/api/v1/audit/events"): Case(_path("/api/v1/audit/events?clip_id={clip}"), roles()),
    ("GET", "/api/v1/gold"): Case(_path("/api/v1/gold"), roles()),
    ("POST", "/api/v1/gold"): Case(_body("/api/v1/gold", lambda w, c: {"clip_id": w.clip_id, "label": "vehicle"}),
                                   roles(), isolated=True),
    ("DELETE", "/api/v1/gold/{clip_id}"): Case(_path("/api/v1/gold/{gold}"), roles(204), isolated=True),
    ("GET", "/api/v1/exports/labels"): Case(_path("/api/v1/exports/labels?format=jsonl"), roles()),
    ("POST", "/api/v1/consent/withdrawals"): Case(
        _body("/api/v1/consent/withdrawals", lambda w, c: {"consent_ref": w.consent_ref}), roles(supervisor=False),
        isolated=True),
    ("GET", "/api/v1/consent/report"): Case(_path("/api/v1/consent/report"), roles()),
}


def test_every_matrix_entry_is_a_route() -> None:
    assert set(MATRIX) <= set(ROUTES), f"stale matrix entries: {sorted(set(MATRIX) - set(ROUTES))}"


def _ask(base_url: str, world: World, route: tuple[str, str], who: Who) -> httpx.Response:
    path, body = MATRIX[route].build(world, who, base_url)
    headers = {"Authorization": f"Bearer {who.token}"} if who.token is not None else {}
    return httpx.request(route[0], base_url + path, json=body, headers=headers, timeout=30)


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize("route", ROUTES, ids=[f"{m} {p}" for m, p in ROUTES])
def test_authorization(world: tuple[World, HubServer], tmp_path: Path, route: tuple[str, str], caller: str,
                       request: pytest.FixtureRequest) -> None:
    if route not in MATRIX:
        pytest.fail(f"{route[0]} {route[1]} has no entry in the authorization matrix: add one")
    prepared, server = world
    who = prepared.callers[caller]
    if MATRIX[route].isolated:
        copy = tmp_path / "hub"
        shutil.copytree(prepared.folder, copy)
        database = f"sqlite:///{copy / 'hub.db'}"
        if server.service.home.database.dialect == "postgresql":  # a copy of the database too
            server._app.state.pool.close()
            server.service.home.database.close()
            original = server.service.home.database.target.url.rsplit("/", 1)[1]
            database = request.getfixturevalue("pg_cluster").create_database(template=original)
        with HubServer(copy, config=CONFIG, database=database) as own:
            answer = _ask(own.base_url, prepared, route, who)
    else:
        answer = _ask(server.base_url, prepared, route, who)
    expected = MATRIX[route].expect[caller]
    assert answer.status_code == expected, f"{caller}: {answer.status_code} {answer.text[:300]}"
    if answer.status_code >= 400:
        detail = answer.json()["detail"]
        assert isinstance(detail, str) and detail.endswith("."), detail
