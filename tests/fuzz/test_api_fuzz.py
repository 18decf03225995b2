"""schemathesis against the hub's own OpenAPI, once per role: no 5xx, and every answer is one the schema documents.

A real hub (``HubServer`` on loopback, cheap test passwords) serves ``/openapi.json``; schemathesis loads it from
there and, for every operation and each role — anonymous, annotator, supervisor, admin — generates requests
(valid ones, invalid ones, and valid ones aimed at the floor's real shift, clip, user and device ids) and checks
every answer:

* ``not_a_server_error``: no 5xx;
* ``status_code_conformance``: the status is one the operation declares;
* ``content_type_conformance``: the ``Content-Type`` is one the operation declares for that status;
* ``response_schema_conformance``, ``response_headers_conformance``: the body (and declared headers) match.

Authentication is the hub's own, as a seat does it (:class:`SeatAuth`, a schemathesis auth provider): an
approved device asks for a challenge, signs ``fws-signin-v1 ‖ nonce ‖ username`` with its Ed25519 key, signs in
with the password and sends the bearer token on every request. Generated sign-ins (``POST /sessions``) are
signed the same way when the generated user name has an even length (about half of them) — a fresh challenge
for a fuzzing device of the role, the generated user name — so the fuzzer gets past the signature check into the
throttle and password code. A generated sign-out ends the role's session; the provider signs in again for the
next request.

Short form (CI): ``FUZZ_EXAMPLES`` (default 15) examples per operation and role, derandomized
(``tests/fuzzing.py``, profile ``ci``): the same requests on every run. Long form::

    FUZZ_PROFILE=long FUZZ_EXAMPLES=2000 python3 -m pytest tests/fuzz

(fresh random requests on every run; a failure prints schemathesis' report with a ``curl`` line to replay it
against a hub started with ``python3 -m workstation hub serve``).
"""

from __future__ import annotations

import base64
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given, settings
from hypothesis import strategies as st
from schemathesis.auths import AuthStorage
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.specs.openapi.formats import unregister_string_format

from tests.fuzzing import LONG, LONG_RUN, profile
from tests.hub.helpers import PASSWORD, enroll, label_item, make_clips, signed_in_seat
from tests.hub_fixtures import CHEAP_PASSWORDS
from workstation.hub import taxonomy
from workstation.hub.app import create_app
from workstation.hub.config import HubConfig
from workstation.hub.server import HubServer
from workstation.vault import sealing
from workstation.wire import signin_message

pytestmark = LONG_RUN
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES") or (500 if LONG else 15))
ROLES = ("anonymous", "annotator", "supervisor", "admin")
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance,
          response_headers_conformance]
CONFIG = HubConfig(default_shift_size=3, max_shift_size=5, max_label_batch=20, max_audit_batch=20,
                   signin_free_failures_per_address=10**6, test_only_password_cost=CHEAP_PASSWORDS)
"""Small shifts and batches; every caller is 127.0.0.1, so the per-address sign-in counter would soon pause
the roles' own sign-ins: it is lifted (per seat and per user name on a seat stay as in the product)."""
SIGN_IN = ("POST", "/api/v1/sessions")
SIGN_OUT = ("DELETE", "/api/v1/sessions")


def _operations() -> list[tuple[str, str]]:
    """(method, path) of every operation in the hub's OpenAPI, from the app itself (collection time)."""
    with tempfile.TemporaryDirectory() as folder:
        spec = create_app(Path(folder) / "hub").openapi()
    return sorted(((method.upper(), path) for path, item in spec["paths"].items() for method in item),
                  key=lambda op: (op[1], op[0]))


OPERATIONS = _operations()


# --------------------------------------------------------------------------- seats and their authentication


@dataclass
class Device:
    """An approved device and the user who signs in on it."""

    user: str
    device_id: str
    key: bytes


def sign_in(base_url: str, device: Device, password: str = PASSWORD) -> str:
    """What a seat does: a challenge for its device, the Ed25519 signature over it and the user name, the password."""
    nonce = _challenge(base_url, device.device_id)
    answer = httpx.post(f"{base_url}/api/v1/sessions", timeout=30, json={
        "username": device.user, "password": password, "device_id": device.device_id,
        "nonce": base64.b64encode(nonce).decode(), "signature": _signature(device.key, nonce, device.user)})
    answer.raise_for_status()
    token: str = answer.json()["token"]
    return token


def _challenge(base_url: str, device_id: str) -> bytes:
    answer = httpx.post(f"{base_url}/api/v1/sessions/challenge", json={"device_id": device_id}, timeout=30)
    answer.raise_for_status()
    return base64.b64decode(answer.json()["nonce"])


def _signature(device_key: bytes, nonce: bytes, username: str) -> str:
    signed = Ed25519PrivateKey.from_private_bytes(device_key).sign(signin_message(nonce, username))
    return base64.b64encode(signed).decode()


@dataclass
class SeatAuth:
    """A schemathesis auth provider that authenticates like a seat (see the module docstring).

    ``seat`` is the role's signed-in device (None: anonymous, no token); ``signer`` is the role's fuzzing device,
    whose key signs generated sign-ins."""

    base_url: str
    seat: Device | None
    signer: Device
    token: str | None = None
    sign_ins: int = 0
    """Sign-ins the provider made (after a generated sign-out ended the session)."""
    signed_sign_ins: int = 0
    """Generated sign-ins it signed with the fuzzing device's key."""

    def get(self, case: schemathesis.Case, context: schemathesis.AuthContext) -> str:
        if self.seat is not None and self.token is None:
            self.token = sign_in(self.base_url, self.seat)
            self.sign_ins += 1
        return self.token or ""  # never None: set() also signs generated sign-ins for the anonymous role

    def set(self, case: schemathesis.Case, data: str, context: schemathesis.AuthContext) -> None:
        if data:
            case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}
        operation = (context.operation.method.upper(), context.operation.path)
        body = case.body
        if (operation == SIGN_IN and isinstance(body, dict) and isinstance(body.get("username"), str)
                and 1 <= len(body["username"]) <= 64 and len(body["username"]) % 2 == 0):
            nonce = _challenge(self.base_url, self.signer.device_id)
            body.update(device_id=self.signer.device_id, nonce=base64.b64encode(nonce).decode(),
                        signature=_signature(self.signer.key, nonce, body["username"]))
            self.signed_sign_ins += 1

    def forget(self) -> None:
        """The session ended (a generated sign-out): sign in again for the next request."""
        self.token = None


# --------------------------------------------------------------------------- the floor


@dataclass
class Floor:
    server: HubServer
    schema: schemathesis.BaseSchema
    auth: dict[str, SeatAuth]
    known: dict[str, dict[str, str]]
    """Per role: real values for path and query parameters (its own shift and clip, a spare user and device)."""


@pytest.fixture(scope="module")
def floor(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Floor]:
    folder = tmp_path_factory.mktemp("fuzz")
    with HubServer(folder / "hub", config=CONFIG) as server:
        service, url = server.service, server.base_url
        assert all(r.status == "ok" for r in service.ingest(make_clips(folder / "clips", 12)))
        seats = {role: signed_in_seat(server, name, role)
                 for role, name in (("annotator", "ana"), ("supervisor", "sue"), ("admin", "ada"))}
        shifts = {role: seats[role].client.start_shift(sealing.generate_shift_keypair()[1])
                  for role in ("annotator", "supervisor")}
        ben = signed_in_seat(server, "ben")
        bens = ben.client.start_shift(sealing.generate_shift_keypair()[1])
        ben.client.post_labels([label_item(bens.shift_id, bens.clips[0].clip_id, "sensitive", kind="flag",
                                           reason="minor")])
        service.add_user("vic", "annotator", PASSWORD)  # a spare account the admin may disable and enable
        spare = enroll(url, "spare seat")
        service.approve_device(spare.enrollment_code)

        def device(user: str, seat: Any) -> Device:
            return Device(user, seat.device_id, seat.device_key)

        auth: dict[str, SeatAuth] = {}
        for role in ROLES:
            signer = enroll(url, f"fuzzing seat of {role}")
            service.approve_device(signer.enrollment_code)
            user = {"anonymous": "ana", "annotator": "ana", "supervisor": "sue", "admin": "ada"}[role]
            auth[role] = SeatAuth(url, None if role == "anonymous" else device(user, seats[role]), device(user, signer),
                                  token=None if role == "anonymous" else seats[role].token)
        own = {role: (shifts.get(role) or shifts["annotator"]) for role in ROLES}
        known = {role: {"shift_id": own[role].shift_id, "clip_id": own[role].clips[0].clip_id, "name": "vic",
                        "device_id": spare.device_id} for role in ROLES}
        for role in ("supervisor", "admin"):
            known[role]["clip_id"] = bens.clips[0].clip_id  # the flagged clip: disposals, gold, the clip audit
        schema = schemathesis.openapi.from_url(f"{url}/openapi.json", config=schemathesis.Config())
        schemathesis.openapi.format("base64", BASE64)
        try:
            yield Floor(server, schema, auth, known)
        finally:
            unregister_string_format("base64")


BASE64 = st.one_of(st.binary(min_size=32, max_size=32), st.binary(min_size=64, max_size=64),
                   st.binary(max_size=100)).map(lambda raw: base64.b64encode(raw).decode())
"""The schema's ``format: base64`` fields are keys (32 bytes), nonces (32) and signatures (64): mostly those
lengths, so the fuzzer gets past the length checks into enrollment, shifts and sign-in."""


# --------------------------------------------------------------------------- the fuzzing


def _strategy(floor: Floor, role: str, method: str, path: str) -> st.SearchStrategy[schemathesis.Case]:
    operation = floor.schema[path][method]
    storage = AuthStorage(providers=[floor.auth[role]])
    kinds = [operation.as_strategy(schemathesis.GenerationMode.POSITIVE, auth_storage=storage)]
    if operation.path_parameters or operation.query or operation.body:
        kinds.append(operation.as_strategy(schemathesis.GenerationMode.NEGATIVE, auth_storage=storage))
    names = {parameter.name for parameter in operation.path_parameters}
    real = {name: value for name, value in floor.known[role].items() if name in names}
    if real:
        kinds.append(operation.as_strategy(schemathesis.GenerationMode.POSITIVE, auth_storage=storage,
                                           path_parameters=real))
    if any(parameter.name == "clip_id" for parameter in operation.query):
        kinds.append(operation.as_strategy(schemathesis.GenerationMode.POSITIVE, auth_storage=storage,
                                           query={"clip_id": floor.known[role]["clip_id"]}))
    if operation.body:
        kinds.append(_with_real_values(operation.as_strategy(schemathesis.GenerationMode.POSITIVE,
                                                             auth_storage=storage), floor.known[role]))
    return st.one_of(kinds)


_TAXONOMY = taxonomy.load_default()
LABELS = sorted(taxonomy.codes(_TAXONOMY) | taxonomy.codes(_TAXONOMY, "flag"))
REASONS = sorted(taxonomy.codes(_TAXONOMY, "skip_reason") | taxonomy.codes(_TAXONOMY, "flag_reason"))


def _with_real_values(cases: st.SearchStrategy[schemathesis.Case],
                      known: dict[str, str]) -> st.SearchStrategy[schemathesis.Case]:
    """Valid bodies whose ids, labels, reasons, times and replay counts (fields of those names, at any depth) are
    real: the role's shift and clip, UUIDs, taxonomy codes, UTC times in the accepted range, whole numbers. Label
    items then get past what the schema does not state (UUID ids, times ending in Z, no ``3.0`` for an integer:
    the models are strict) and "not your shift" into the intake's own rules (time order, timings, retracts,
    flags, ownership); every other field stays generated."""

    def put(value: Any, real: dict[str, str]) -> None:
        if isinstance(value, list):
            for item in value:
                put(item, real)
        elif isinstance(value, dict):
            for key in value:
                if key in real and not isinstance(value[key], (dict, list)):
                    value[key] = real[key]
                else:
                    put(value[key], real)

    def apply(drawn: tuple[schemathesis.Case, dict[str, str]]) -> schemathesis.Case:
        case, real = drawn
        put(case.body, {"shift_id": known["shift_id"], "clip_id": known["clip_id"], **real})
        return case

    times = st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2099, 12, 31)).map(
        lambda moment: moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z")
    real = st.fixed_dictionaries({"id": st.uuids().map(str), "retracts": st.uuids().map(str),
                                  "label": st.sampled_from(LABELS), "reason": st.sampled_from(REASONS),
                                  "shown_at": times, "decided_at": times,
                                  "replays": st.one_of(st.integers(0, 20), st.integers(min_value=0))})
    return st.tuples(cases, real).map(apply)


def test_every_operation_is_fuzzed(floor: Floor) -> None:
    """The served schema has exactly the operations collected from the app (a new route is fuzzed too)."""
    served = sorted(((op.ok().method.upper(), op.ok().path) for op in floor.schema.get_all_operations()),
                    key=lambda op: (op[1], op[0]))
    assert served == OPERATIONS
    assert len(OPERATIONS) >= 30


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("operation", OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_api_fuzz(floor: Floor, operation: tuple[str, str], role: str) -> None:
    method, path = operation
    auth = floor.auth[role]
    sign_ins, signed = auth.sign_ins, auth.signed_sign_ins

    @settings(profile(), max_examples=EXAMPLES)
    @given(case=_strategy(floor, role, method, path))
    def fuzz(case: schemathesis.Case) -> None:
        response = case.call(timeout=30)
        if operation == SIGN_OUT and response.status_code == 204:
            auth.forget()
        case.validate_response(response, checks=CHECKS)

    fuzz()
    if operation == SIGN_IN:  # the auth hook signed some generated sign-ins as a seat would
        assert auth.signed_sign_ins > signed
    if operation == SIGN_OUT and role != "anonymous":  # and signed in again after generated sign-outs
        assert auth.sign_ins > sign_ins
