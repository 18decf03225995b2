"""The hub API v1 endpoints for supervisors and admins (docs/CONTRACTS.md): users, devices, disposals, audit,
consent.

Supervisors (and admins) see the user list, clear a user's sign-in failures (unlock), decide disposals,
verify the audit trail and read the consent and retention report; only admins
(IT) approve and revoke devices, disable or enable accounts and withdraw a consent. Annotators get 403 on all of
these.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from workstation.hub import auditlog, auth, devices, disposals, erasure, throttle, users
from workstation.hub.errors import Conflict
from workstation.hub.routes import ERRORS, SUPERVISING, Config, Db, Home, role
from workstation.hub.schema import (
    AuditChainOut,
    AuditVerifyOut,
    ConsentReportOut,
    ConsentWithdrawalOut,
    ConsentWithdrawIn,
    DeviceApproveIn,
    DeviceListOut,
    DeviceOut,
    DisposalDecisionIn,
    DisposalListOut,
    DisposalOut,
    UnlockOut,
    UserInfoOut,
    UserListOut,
)

router = APIRouter(responses=ERRORS)  # type: ignore[arg-type]
ADMIN = (users.ADMIN,)

Supervisor = Annotated[auth.Caller, role(SUPERVISING, "use the supervisor endpoints")]
Admin = Annotated[auth.Caller, role(ADMIN, "manage devices and accounts")]
UserName = Annotated[str, Path(pattern=r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")]
DeviceId = Annotated[str, Path(pattern=r"^[0-9a-f]{32}$")]
ClipId = Annotated[str, Path(pattern=r"^[0-9a-f]{32}$")]


def _user_out(user: users.User) -> UserInfoOut:
    return UserInfoOut(name=user.name, role=user.role, created_at=user.created_at,
                       status="active" if user.disabled_at is None else "disabled", disabled_at=user.disabled_at)


def _device_out(device: devices.Device) -> DeviceOut:
    return DeviceOut(device_id=device.device_id, label=device.label, status=device.status,  # type: ignore[arg-type]
                     enrollment_code=device.enrollment_code, created_at=device.created_at,
                     approved_at=device.approved_at, revoked_at=device.revoked_at, app_version=device.app_version,
                     last_seen_at=device.last_seen_at)


def _disposal_out(item: disposals.Disposal) -> DisposalOut:
    return DisposalOut(clip_id=item.clip_id, status=item.status,  # type: ignore[arg-type]
                       flagged_by=item.flagged_by, flag=item.flag, reason=item.reason, flagged_at=item.flagged_at,
                       shift_id=item.shift_id, requested_at=item.requested_at, decided_by=item.decided_by,
                       decided_at=item.decided_at, note=item.note)


@router.get("/users", response_model=UserListOut)
def list_users(db: Db, caller: Supervisor) -> UserListOut:
    """Every account with its role and whether it is disabled (no password hashes)."""
    return UserListOut(users=[_user_out(u) for u in users.list_users(db)])


@router.post("/users/{name}/disable", response_model=UserInfoOut)
def disable_user(name: UserName, db: Db, caller: Admin) -> UserInfoOut:
    """Disable an account: its sessions end at once (403 from then on) and its open shift closes."""
    if name == caller.user:
        raise Conflict("You cannot disable the account you are signed in with.",
                       hint="Ask another admin, or use 'hub user disable' on the hub.")
    return _user_out(users.disable(db, name))


@router.post("/users/{name}/enable", response_model=UserInfoOut)
def enable_user(name: UserName, db: Db, caller: Admin) -> UserInfoOut:
    """Let a disabled account sign in again."""
    return _user_out(users.enable(db, name))


@router.post("/users/{name}/unlock", response_model=UnlockOut)
def unlock_user(name: UserName, db: Db, caller: Supervisor) -> UnlockOut:
    """Clear the user's sign-in failure counters on every workstation (a colleague's wrong guesses, say)."""
    users.get(db, name)
    cleared = throttle.unlock_user(db, name)
    return UnlockOut(name=name, cleared=cleared.failures, workstations=cleared.workstations)


@router.get("/devices", response_model=DeviceListOut)
def list_devices(db: Db, caller: Admin) -> DeviceListOut:
    """Every enrolled device, pending ones with the enrollment code their screen shows, each with the app version
    its seat last named and its last contact."""
    return DeviceListOut(devices=[_device_out(d) for d in devices.list_devices(db)])


@router.post("/devices/approve", response_model=DeviceOut)
def approve_device(body: DeviceApproveIn, db: Db, caller: Admin) -> DeviceOut:
    """Approve the device showing this enrollment code (idempotent; a revoked one stays revoked: 409)."""
    return _device_out(devices.approve(db, body.enrollment_code))


@router.post("/devices/{device_id}/revoke", response_model=DeviceOut)
def revoke_device(device_id: DeviceId, db: Db, caller: Admin) -> DeviceOut:
    """Revoke a device: every session on it ends at once (403 from then on, old tokens too)."""
    return _device_out(devices.revoke(db, device_id))


@router.get("/disposals", response_model=DisposalListOut)
def disposal_queue(db: Db, caller: Supervisor) -> DisposalListOut:
    """Disposal requests, pending first: clip id, who flagged, reason, when — never content."""
    return DisposalListOut(disposals=[_disposal_out(d) for d in disposals.queue(db)])


@router.post("/disposals/{clip_id}/confirm", response_model=DisposalOut)
def confirm_disposal(clip_id: ClipId, db: Db, home: Home, caller: Supervisor,
                     body: DisposalDecisionIn | None = None) -> DisposalOut:
    """Destroy the clip's key and ciphertext and withdraw it from every open shift (idempotent)."""
    return _disposal_out(disposals.confirm(db, home, caller.user, clip_id, body.note if body else None))


@router.post("/disposals/{clip_id}/reject", response_model=DisposalOut)
def reject_disposal(clip_id: ClipId, db: Db, caller: Supervisor,
                    body: DisposalDecisionIn | None = None) -> DisposalOut:
    """Keep the clip: it goes back to the pool for later shifts (idempotent)."""
    return _disposal_out(disposals.reject(db, caller.user, clip_id, body.note if body else None))


@router.get("/audit/verify", response_model=AuditVerifyOut)
def verify_audit(db: Db, caller: Supervisor) -> AuditVerifyOut:
    """Every device's stored audit chain re-walked: ok with its event count, or its first broken link."""
    reports = auditlog.verify_all(db)
    return AuditVerifyOut(ok=all(r.ok for r in reports),
                          chains=[AuditChainOut.model_validate(r.as_dict()) for r in reports])


@router.post("/consent/withdrawals", response_model=ConsentWithdrawalOut)
def withdraw_consent(body: ConsentWithdrawIn, db: Db, home: Home, caller: Admin, config: Config,
                     ) -> ConsentWithdrawalOut:
    """Erase every clip ingested under the consent reference as a confirmed disposal does (key, ciphertext, open
    shifts; seats drop it at their next sync), and its labels from every export and figure; idempotent
    (``already_withdrawn``); 404 for a reference no clip was ingested under."""
    done = erasure.withdraw(db, home, body.consent_ref, actor=caller.user, device_id=caller.device_id,
                            erased_labels=config.erased_labels)
    return ConsentWithdrawalOut.model_validate(done.as_dict())


@router.get("/consent/report", response_model=ConsentReportOut, response_model_by_alias=True)
def consent_report(db: Db, caller: Supervisor, config: Config) -> dict[str, object]:
    """What the hub holds by source and consent scope, what is due for erasure in the next 7 days (and overdue),
    and what was erased in the last 7 days by reason (flag, withdrawal, retention)."""
    return erasure.report(db, retain_days=config.retain_days)
