"""``python -m workstation hub …``: serve, ingest, users, devices, gold, export, audit, verify-audit, consent and
retention, for IT, admins, supervisors and the privacy officer at the hub.

Every mistake a person can make here ends in one line ``error: …`` on stderr and exit status 2 (a broken
ingest manifest: one such line per problem, and nothing is ingested); ``ingest`` exits 1 when any file was
rejected, ``verify-audit`` when any audit chain is broken, ``user unlock`` for an unknown user, ``consent
withdraw`` for a consent reference no clip was ingested under. No tracebacks. Gold changes, exports, withdrawals
and erasures made here are in the hub's audit under ``cli:<account>``.
"""

from __future__ import annotations

import argparse
import dataclasses
import getpass
import json
import re
import signal
import sys
import unicodedata
from collections.abc import Callable, Sequence
from pathlib import Path
from types import FrameType
from typing import Any, NoReturn, TextIO

from workstation.errors import WorkstationError
from workstation.hub import config as hub_config
from workstation.hub import ingest, provenance, users
from workstation.hub.errors import NotFound
from workstation.hub.home import create_private, tightened_notice
from workstation.hub.service import HubService
from workstation.net import is_loopback_host

EXIT_OK, EXIT_REJECTED, EXIT_USAGE = 0, 1, 2
_HEX32 = re.compile(r"[0-9a-f]{32}")


class _UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise _UsageError(f"{message} (see '{self.prog} --help')")


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{printable(text)} is not a port number (0 to 65535)")
    return port


def printable(text: str) -> str:
    """``text`` with control and other unprintable characters escaped (``\\n``, ``\\x1b``, ``\\udcff``):
    a file name can hold a newline or a terminal escape; the output stays one line per result."""
    return "".join(_escape(ch) if unicodedata.category(ch)[0] == "C" else ch for ch in text)


def _escape(ch: str) -> str:
    code = ord(ch)
    named = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
    if ch in named:
        return named[ch]
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="python -m workstation hub", description="Run and administer the floor hub.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="The privacy settings of a floor live in DIR/hub.toml (optional; every command reads it):\n"
               "  retain_days = 90               a clip is kept this many days after its capture (or ingest)\n"
               "  allow_without_consent = false  true: ingest takes clips that name no consent reference\n"
               "  erased_labels = \"keep\"         an erased clip's labels: \"keep\" (marked, out of exports and\n"
               "                                 figures) or \"delete\"\n"
               "  retention_sweep_minutes = 60   how often 'serve' erases clips past their deadline")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    def data_option(p: argparse.ArgumentParser) -> None:
        p.add_argument("--data", required=True, metavar="DIR",
                       help="the hub's data folder (hub.db, master.key, blobs/); set up when new")
        p.add_argument("--database", metavar="URL", default=None,
                       help="keep the hub's tables in this database instead of DIR/hub.db: "
                            "postgresql://USER:PASSWORD@HOST:PORT/NAME (default: FLOOR_HUB_DATABASE_URL when set); "
                            "several 'serve' processes may share one, with DIR on a shared mount")

    serve = sub.add_parser("serve", help="run the hub's HTTP API until interrupted")
    data_option(serve)
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=_port, default=8470, help="port to listen on (default 8470; 0 picks one)")
    serve.add_argument("--tls-cert", metavar="PEM",
                       help="serve HTTPS (TLS 1.2 or later) with this certificate, issued by the floor CA for the "
                            "address in the seats' hub_url (then any intermediate CA certificates); required "
                            "unless --host is a loopback address")
    serve.add_argument("--tls-key", metavar="PEM",
                       help="the certificate's private key, without a passphrase, readable only by the hub's account")
    serve.add_argument("--docs", action="store_true",
                       help="also serve the interactive API pages /docs and /redoc (off by default; the OpenAPI "
                            "schema is always at /openapi.json)")

    ing = sub.add_parser(
        "ingest", help="probe, encrypt and store clip files with their consent basis",
        description="Probe each clip (it must decode completely), encrypt it into the hub's store and record it "
                    "with its provenance: source, consent reference and scope, capture or submission time, and "
                    "retention deadline (the capture time, or now when none is given, plus --retain-days or the "
                    "hub's retain_days, 90 unless hub.toml says otherwise). Give the provenance of a batch of files "
                    "with --source and --consent-ref, or one clip per record in --manifest. A clip without a "
                    "consent reference is refused unless hub.toml sets allow_without_consent = true; one under a "
                    "withdrawn consent, or whose deadline has passed, is refused too. "
                    "A folder is searched recursively for video files "
                    f"({', '.join(ingest.VIDEO_SUFFIXES)}). A file ingested before is reported 'ok' with its "
                    "existing clip id and is not stored twice. Exit status: 0 when every file is in the hub, "
                    "1 when any was rejected, 2 on a usage error or a manifest with problems (one line each, "
                    "with its line number; nothing is ingested then).",
    )
    ing.add_argument("paths", nargs="*", metavar="PATH", help="clip files or folders (or --manifest)")
    data_option(ing)
    ing.add_argument("--manifest", metavar="FILE",
                     help="a CSV (with a header) or JSON Lines (.jsonl) file, one clip per record with the fields "
                          f"{', '.join(provenance.FIELDS)}; relative file paths are read from the manifest's folder")
    ing.add_argument("--source", choices=provenance.SOURCES,
                     help="where the files came from: a tester programme, a customer's troubleshooting submission, "
                          "or other (required with files)")
    ing.add_argument("--consent-ref", metavar="REF", help="the upstream system's consent reference of the files")
    ing.add_argument("--scope", metavar="SCOPE", help="what the consent covers, as the upstream system names it")
    ing.add_argument("--captured-at", metavar="TIME",
                     help="when the files were captured or submitted: YYYY-MM-DD or ISO 8601 with Z or an offset")
    ing.add_argument("--retain-days", type=_days, metavar="N",
                     help="keep these clips N days from their capture time (default: the hub's retain_days)")
    ing.add_argument("--project", default="security", help="project the clips belong to (default security)")
    ing.add_argument("--json", action="store_true", help="print a JSON list of results instead of lines")

    user = sub.add_parser("user", help="add or list hub users").add_subparsers(dest="action", required=True,
                                                                            parser_class=_Parser)
    add = user.add_parser("add", help="add a user (asks for the password)")
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=users.ROLES)
    add.add_argument("--password-stdin", action="store_true",
                     help="read the password from the first line of stdin instead of prompting")
    data_option(add)
    data_option(user.add_parser("list", help="list users"))
    disable = user.add_parser("disable", help="disable a user; their sessions end at once, their open shift closes")
    disable.add_argument("name")
    data_option(disable)
    enable = user.add_parser("enable", help="let a disabled user sign in again")
    enable.add_argument("name")
    data_option(enable)
    unlock = user.add_parser("unlock", help="clear a user's failed sign-in attempts on every workstation",
                             description="Forget the user's failed sign-in attempts (and so any wait they caused) on "
                                         "every workstation. Exit status: 0 when done, 1 for an unknown user.")
    unlock.add_argument("name")
    data_option(unlock)

    dev = sub.add_parser("devices", help="list, approve or revoke workstations").add_subparsers(
        dest="action", required=True, parser_class=_Parser)
    data_option(dev.add_parser(
        "list", help="list enrolled devices with their app version and last contact",
        description="One line per device: id, status, enrollment code, enrolled at, the app version its seat last "
                    "named ('-' before its first sign-in), its last signed-in contact (to the minute; 'never'), "
                    "and its label."))
    approve = dev.add_parser("approve", help="approve a device by the enrollment code its screen shows")
    approve.add_argument("code")
    data_option(approve)
    revoke = dev.add_parser("revoke", help="revoke a device; its sessions stop working at once")
    revoke.add_argument("device_id")
    data_option(revoke)

    gold_cmd = sub.add_parser("gold", help="mark clips gold (known labels mixed blindly into shifts), list, remove")
    gold_sub = gold_cmd.add_subparsers(dest="action", required=True, parser_class=_Parser)
    gold_add = gold_sub.add_parser("add", help="mark a clip gold with its right label (or change its label)")
    gold_add.add_argument("clip_id")
    gold_add.add_argument("--label", required=True, metavar="CODE", help="a label code of the clip's project")
    data_option(gold_add)
    data_option(gold_sub.add_parser("list", help="list the gold clips and their labels"))
    gold_remove = gold_sub.add_parser("remove", help="the clip is no longer gold")
    gold_remove.add_argument("clip_id")
    data_option(gold_remove)

    export = sub.add_parser("export", help="export the standing decisions (never clip bytes)").add_subparsers(
        dest="what", required=True, parser_class=_Parser)
    export_labels = export.add_parser(
        "labels", help="every standing decision as CSV, JSON Lines or Label Studio import JSON",
        description="One record per standing decision (annotator, seat, clip id, label, reason, comment, timings, "
                    "times) of the days asked (UTC, both included; all when neither is given). The export is "
                    "recorded in the hub's audit with its size, never its content.")
    export_labels.add_argument("--format", required=True, choices=("csv", "jsonl", "labelstudio"))
    export_labels.add_argument("--from", dest="first", metavar="YYYY-MM-DD", help="first day")
    export_labels.add_argument("--to", dest="last", metavar="YYYY-MM-DD", help="last day")
    export_labels.add_argument("--out", metavar="FILE", help="write here (created owner-only) instead of stdout")
    data_option(export_labels)

    audit = sub.add_parser("audit", help="who was given and who viewed a clip").add_subparsers(
        dest="action", required=True, parser_class=_Parser)
    show = audit.add_parser("show", help="a clip's shifts, hand-outs of keys and ciphertext, seat events, decisions")
    show.add_argument("--clip", required=True, metavar="CLIP_ID")
    show.add_argument("--json", action="store_true", help="print the JSON answer of GET /api/v1/audit/events")
    data_option(show)

    consent = sub.add_parser("consent", help="withdraw a consent (erases its clips); the privacy report").add_subparsers(
        dest="action", required=True, parser_class=_Parser)
    withdraw = consent.add_parser(
        "withdraw", help="erase every clip ingested under a consent reference",
        description="Erase every clip ingested under the consent reference the way a confirmed disposal does: its "
                    "key and ciphertext are destroyed, it leaves every open shift and seats drop it at their next "
                    "sync; its labels are marked erased and left out of every export and figure (or deleted, when "
                    "hub.toml sets erased_labels = \"delete\"). The reference is remembered: no clip is ingested "
                    "under it again. Recorded in the hub's audit, without content. Asking again changes nothing. "
                    "Backups made before are not touched. Exit status: 0 when withdrawn (now or before), 1 when no "
                    "clip was ever ingested under the reference, 2 on a usage error.")
    withdraw.add_argument("consent_ref", metavar="REF")
    withdraw.add_argument("--json", action="store_true", help="print the JSON answer of POST /api/v1/consent/withdrawals")
    data_option(withdraw)
    report = consent.add_parser(
        "report", help="clips by source and consent scope, due for erasure, erased by reason",
        description="What the hub holds by source and consent scope (and how many name no consent), what is due "
                    "for erasure in the next 7 days (and overdue: the next retention sweep erases it), and what was "
                    "erased in the last 7 days by reason: flag (a confirmed disposal), withdrawal, retention.")
    report.add_argument("--json", action="store_true", help="print the JSON answer of GET /api/v1/consent/report")
    data_option(report)

    retention = sub.add_parser("retention", help="erase clips past their retention deadline").add_subparsers(
        dest="action", required=True, parser_class=_Parser)
    run = retention.add_parser(
        "run", help="erase every clip past its retention deadline, once (hub serve also does it every hour)",
        description="Erase every clip whose retention deadline has passed, as a withdrawal does (key, ciphertext, "
                    "open shifts, labels out of every export and figure), for a scheduler; 'hub serve' does the same "
                    "at start and every retention_sweep_minutes (hub.toml, default 60). Exit status 0.")
    run.add_argument("--dry-run", action="store_true", help="only list the clips that would be erased")
    run.add_argument("--json", action="store_true", help="print JSON instead of lines")
    data_option(run)

    verify = sub.add_parser(
        "verify-audit", help="re-walk every stored audit chain and name the first broken link",
        description="Re-walk each workstation's stored audit chain from its first event, checking every hash "
                    "and link. Prints one line per workstation: 'ok, N events' or the first broken link. "
                    "Exit status: 0 when every chain holds, 1 when any is broken, 2 on a usage error.",
    )
    data_option(verify)
    verify.add_argument("--json", action="store_true", help="print a JSON list of results instead of lines")
    return parser


def _say_tightened(service: HubService) -> None:
    notice = tightened_notice(service.data_dir, service.home.tightened)
    if notice is not None:
        print(notice, file=sys.stderr, flush=True)


def _service(args: argparse.Namespace) -> HubService:
    """The hub's data folder, opened (set up when new, modes tightened: said on stderr)."""
    service = HubService(args.data, database=args.database)
    _say_tightened(service)
    return service


def _serve(args: argparse.Namespace, out: TextIO) -> int:
    from workstation.hub.server import HubServer  # uvicorn only when serving

    if args.tls_cert is None and args.tls_key is None and not is_loopback_host(args.host):
        raise _UsageError(f"serving plain HTTP on {args.host} would send passwords and labels in the clear (and "
                          "workstations refuse it): pass --tls-cert and --tls-key, or listen on 127.0.0.1")
    settings = dataclasses.replace(hub_config.load(args.data), api_docs=args.docs)
    server = HubServer(args.data, host=args.host, port=args.port, log_level="info",
                       tls_cert=args.tls_cert, tls_key=args.tls_key, config=settings, retention_sweep=True,
                       database=args.database)
    _say_tightened(server.service)

    def _terminate(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        url = server.start()
        print(f"Floor hub listening on {url}/api/v1 (OpenAPI: {url}/openapi.json); data in {server.service.data_dir}"
              f"{'' if server.service.home.database.dialect == 'sqlite' else '; tables in ' + server.service.home.where}",
              file=out, flush=True)
        server.wait()
    except KeyboardInterrupt:
        print("Stopping the floor hub.", file=out, flush=True)
    finally:
        server.stop()
        signal.signal(signal.SIGTERM, previous)
    return EXIT_OK


def _days(text: str) -> int:
    try:
        days = int(text)
    except ValueError:
        days = 0
    if not 1 <= days <= hub_config.MAX_RETAIN_DAYS:
        raise argparse.ArgumentTypeError(f"{printable(text)} is not a number of days (1 to {hub_config.MAX_RETAIN_DAYS})")
    return days


def _batch_provenance(args: argparse.Namespace) -> provenance.Provenance | None:
    """The provenance of the files named on the command line (None with --manifest); usage errors as such."""
    per_file = ("--source", args.source), ("--consent-ref", args.consent_ref), ("--scope", args.scope), \
        ("--captured-at", args.captured_at)
    if args.manifest is not None:
        if args.paths:
            raise _UsageError("give clip files or --manifest, not both")
        given = [name for name, value in per_file if value is not None]
        if given:
            raise _UsageError(f"{', '.join(given)} cannot be used with --manifest: each record of the manifest "
                              "gives its own")
        return None
    if not args.paths:
        raise _UsageError("name the clip files or folders to ingest, or --manifest FILE")
    if args.source is None:
        raise _UsageError(f"--source is required: where the clips came from ({', '.join(provenance.SOURCES)})")
    try:
        ref = provenance.check_text(args.consent_ref, "consent reference", provenance.MAX_REF)
        scope = provenance.check_text(args.scope, "consent scope", provenance.MAX_SCOPE)
        captured = provenance.parse_time(args.captured_at) if args.captured_at is not None else None
    except ValueError as exc:
        raise _UsageError(str(exc)) from None
    return provenance.Provenance(args.source, ref, scope, captured, args.retain_days)


def _manifest_problems(error: provenance.ManifestError) -> int:
    where = printable(str(error.path))
    for problem in error.problems:
        print(printable(f"error: {where} {problem}" if problem.line else f"error: {where}: {problem}"),
              file=sys.stderr)
    print(f"error: nothing was ingested: fix the manifest's {_plural(len(error.problems), 'problem')} and run it "
          "again", file=sys.stderr)
    return EXIT_USAGE


def _ingest(args: argparse.Namespace, out: TextIO) -> int:
    from tqdm import tqdm

    batch = _batch_provenance(args)
    service = _service(args)
    entries: list[provenance.Entry] = []
    if batch is None:
        try:
            entries = provenance.read_manifest(args.manifest, retain_days=args.retain_days)
        except provenance.ManifestError as broken:
            return _manifest_problems(broken)
    bars: list[tqdm[None]] = []

    def _tick(done: int, total: int, result: ingest.IngestResult) -> None:
        if not bars:
            bars.append(tqdm(total=total, unit="clip", file=sys.stderr, leave=False))
        bars[0].update(1)

    progress = _tick if sys.stderr.isatty() else None  # a bar only for a person watching
    try:
        if batch is not None:
            results = service.ingest(args.paths, progress, project=args.project, provenance=batch)
        else:
            results = service.ingest_manifest(entries, progress, project=args.project)
    finally:
        for bar in bars:
            bar.close()
    if args.json:
        json.dump([r.as_dict() for r in results], out, indent=2)
        out.write("\n")
    else:
        for r in results:
            if r.status == "ok":
                note = f"  ({r.reason})" if r.reason else ""
                print(printable(f"ok  {r.clip_id}  {r.path}{note}"), file=out)
            else:
                print(printable(f"rejected  {r.path}: {r.reason}"), file=out)
    return EXIT_OK if all(r.status == "ok" for r in results) else EXIT_REJECTED


def _read_new_password(from_stdin: bool) -> str:
    if not from_stdin and sys.stdin.isatty():
        first = getpass.getpass("Password: ")
        users.check_new_password(first)
        if getpass.getpass("Password again: ") != first:
            raise _UsageError("the two passwords differ")
        return first
    line = sys.stdin.readline()
    return line.rstrip("\r\n")


def _user(args: argparse.Namespace, out: TextIO) -> int:
    service = _service(args)
    if args.action == "add":
        password = _read_new_password(args.password_stdin)
        user = service.add_user(args.name, args.role, password)
        print(f"added user {user.name} ({user.role})", file=out)
    elif args.action == "disable":
        user = service.disable_user(args.name)
        print(f"disabled user {user.name}; their sessions have ended", file=out)
    elif args.action == "enable":
        user = service.enable_user(args.name)
        print(f"enabled user {user.name}", file=out)
    elif args.action == "unlock":
        return _unlock(service, args.name, out)
    else:
        for u in service.list_users():
            note = f"  disabled {u.disabled_at}" if u.disabled_at else ""
            print(f"{u.name:<24} {u.role:<11} {u.created_at}{note}", file=out)
    return EXIT_OK


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _unlock(service: HubService, name: str, out: TextIO) -> int:
    try:
        cleared = service.unlock_user(name)
    except NotFound as exc:
        print(f"error: {exc.full_text()}", file=sys.stderr)
        return EXIT_REJECTED
    if cleared.failures == 0 and cleared.workstations == 0:
        print(f"user {name} had no failed sign-in attempts to clear", file=out)
    else:
        print(f"unlocked user {name}: cleared {_plural(cleared.failures, 'failed sign-in attempt')} on "
              f"{_plural(cleared.workstations, 'workstation')}", file=out)
    return EXIT_OK


def _devices(args: argparse.Namespace, out: TextIO) -> int:
    service = _service(args)
    if args.action == "list":
        for d in service.list_devices():  # a label comes from the public enrollment: printed escaped
            print(printable(f"{d.device_id}  {d.status:<8}  {d.enrollment_code}  {d.created_at}  "
                            f"{d.app_version or '-':<10}  {d.last_seen_at or 'never':<24}  {d.label}"), file=out)
    elif args.action == "approve":
        d = service.approve_device(args.code)
        print(printable(f"approved device {d.device_id} ({d.label})"), file=out)
    else:
        d = service.revoke_device(args.device_id)
        print(printable(f"revoked device {d.device_id} ({d.label}); its sessions have ended"), file=out)
    return EXIT_OK


def _verify_audit(args: argparse.Namespace, out: TextIO) -> int:
    reports = _service(args).verify_audit()
    if args.json:
        json.dump([r.as_dict() for r in reports], out, indent=2)
        out.write("\n")
    elif not reports:
        print("no audit events stored yet", file=out)
    else:
        for r in reports:
            print(f"{'ok' if r.ok else 'BROKEN':<6}  {r.device_id}  {r.line()}  ({r.label})", file=out)
    return EXIT_OK if all(r.ok for r in reports) else EXIT_REJECTED


def _gold(args: argparse.Namespace, out: TextIO) -> int:
    service = _service(args)
    if args.action == "add":
        g = service.add_gold(args.clip_id, args.label)
        print(f"gold clip {g.clip_id}: {g.label}", file=out)
    elif args.action == "remove":
        g = service.remove_gold(args.clip_id)
        print(f"clip {g.clip_id} is no longer gold (was {g.label})", file=out)
    else:
        for g in service.list_gold():
            print(f"{g.clip_id}  {g.label:<16} {g.added_at}  {g.added_by}", file=out)
    return EXIT_OK


def _export(args: argparse.Namespace, out: TextIO) -> int:
    service = _service(args)
    if args.out is None:
        export = service.export_labels(args.format, args.first, args.last)
        out.writelines(export.chunks())
        out.flush()
        return EXIT_OK
    target = Path(args.out)
    with create_private(target) as raw:  # refuses an existing file: an export is never written over another
        try:
            export = service.export_labels(args.format, args.first, args.last)
            for chunk in export.chunks():
                raw.write(chunk.encode("utf-8"))
        except BaseException:
            target.unlink(missing_ok=True)
            raise
    print(f"exported {_plural(export.rows, 'decision')} to {printable(str(target))}", file=sys.stderr)
    return EXIT_OK


def _audit(args: argparse.Namespace, out: TextIO) -> int:
    if not _HEX32.fullmatch(args.clip):
        raise _UsageError(f"{printable(args.clip)} is not a clip id (32 hex characters)")
    found = _service(args).clip_audit(args.clip)
    if args.json:
        json.dump(found, out, indent=2)
        out.write("\n")
        return EXIT_OK
    clip = found["clip"]
    print(printable(f"clip {args.clip}: " + (
        "unknown to this hub" if clip is None else
        f"{clip['status']}, project {clip['project']}, ingested {clip['ingested_at']}{', gold' if clip['gold'] else ''}"
        f"; source {clip['source']}, consent {clip['consent_ref'] or '-'}"
        f"{' (' + clip['consent_scope'] + ')' if clip['consent_scope'] else ''}, kept until {clip['retain_until']}"
        f"{', erased ' + clip['erased_at'] if clip['erased_at'] else ''}")), file=out)
    lines = [(a["assigned_at"], (f"given     {a['user']} on {a['seat']} in shift {a['shift_id'][:8]}"
                                f"{' (withdrawn ' + a['withdrawn_at'] + ')' if a['withdrawn_at'] else ''}"))
             for a in found["assignments"]]
    lines += [(h["at"], f"handed    {h['what']} to {h['user']} on {h['seat']}") for h in found["handouts"]]
    lines += [(e["at"], (f"seat      {e['kind']} by {e['user'] or '-'} on {e['seat']}"
                        f" (delivered by {e['delivered_by'] or '-'})")) for e in found["events"]]
    lines += [(d["received_at"], (f"decision  {d['kind']} {d['label']} by {d['user']} on {d['seat']}"
                                 f"{'' if d['standing'] else ' (taken back)'}")) for d in found["decisions"]]
    lines += [(a["at"], (f"hub       {a['action']} by {a['actor']}"
                        f"{' (' + a['detail']['reason'] + ')' if 'reason' in a['detail'] else ''}"))
              for a in found["hub_actions"]]
    for at, text in sorted(lines, key=lambda line: line[0]):
        print(printable(f"{at}  {text}"), file=out)
    if not lines:
        print("nothing recorded for this clip", file=out)
    return EXIT_OK


def _consent(args: argparse.Namespace, out: TextIO) -> int:
    service = _service(args)
    if args.action == "report":
        return _report(service.consent_report(), args.json, out)
    try:
        done = service.withdraw_consent(args.consent_ref)
    except NotFound as exc:
        print(f"error: {printable(exc.full_text())}", file=sys.stderr)
        return EXIT_REJECTED
    if args.json:
        json.dump(done.as_dict(), out, indent=2)
        out.write("\n")
    elif done.again and not done.erased.clip_ids and not done.erased.labels:
        print(printable(f"consent {done.consent_ref} was already withdrawn on {done.withdrawn_at} by "
                        f"{done.withdrawn_by}; nothing more to erase"), file=out)
    else:
        kept = service.config.erased_labels != "delete"
        print(printable(f"withdrew consent {done.consent_ref}: erased {_plural(len(done.erased.clip_ids), 'clip')} "
                        "(key and ciphertext destroyed, out of open shifts; seats drop them at their next sync) "
                        f"and {'marked' if kept else 'deleted'} {_plural(done.erased.labels, 'label')}"
                        f"{' (out of every export and figure)' if kept else ''}"), file=out)
    return EXIT_OK


def _report(report: dict[str, Any], as_json: bool, out: TextIO) -> int:
    if as_json:
        json.dump(report, out, indent=2)
        out.write("\n")
        return EXIT_OK
    held, due, erased = report["held"], report["due"], report["erased"]
    print(f"consent and retention, {report['generated_at']} (clips are kept {report['retain_days']} days unless "
          "ingested with --retain-days)", file=out)
    print(f"held: {_plural(held['clips'], 'clip')}, {held['without_consent']} without a consent reference", file=out)
    for row in held["by_source"]:
        print(printable(f"  {row['source']:<9} {row['scope'] or '-':<24} {row['clips']:>7}"
                        f"{'  (' + str(row['without_consent']) + ' without consent)' if row['without_consent'] else ''}"),
              file=out)
    overdue = f", {due['overdue']} overdue (the next retention sweep erases them)" if due["overdue"] else ""
    print(f"due for erasure before {due['to']}: {_plural(due['clips'], 'clip')}{overdue}", file=out)
    for day in due["by_day"]:
        print(f"  {day['day']}  {day['clips']:>7}", file=out)
    reasons = erased["by_reason"]
    print(f"erased since {erased['from']}: {_plural(erased['clips'], 'clip')} — flag {reasons['flag']}, withdrawal "
          f"{reasons['withdrawal']}, retention {reasons['retention']} "
          f"({_plural(erased['consents_withdrawn'], 'consent')} withdrawn)", file=out)
    return EXIT_OK


def _retention(args: argparse.Namespace, out: TextIO) -> int:
    service = _service(args)
    due = service.retention_due()
    if args.dry_run:
        if args.json:
            json.dump({"due": [dataclasses.asdict(d) for d in due]}, out, indent=2)
            out.write("\n")
            return EXIT_OK
        for d in due:
            print(printable(f"due  {d.clip_id}  {d.retain_until}  {d.source:<9} {d.consent_ref or '-'}"), file=out)
        print(f"{_plural(len(due), 'clip')} past the retention deadline; nothing erased (--dry-run)", file=out)
        return EXIT_OK
    erased = service.run_retention()
    if args.json:
        json.dump({"erased": erased.clip_ids, "labels": erased.labels}, out, indent=2)
        out.write("\n")
        return EXIT_OK
    known = {d.clip_id: d for d in due}
    for clip_id in erased.clip_ids:
        was = known.get(clip_id)
        detail = f"  {was.retain_until}  {was.source:<9} {was.consent_ref or '-'}" if was is not None else ""
        print(printable(f"erased  {clip_id}{detail}"), file=out)
    print(f"erased {_plural(len(erased.clip_ids), 'clip')} past the retention deadline", file=out)
    return EXIT_OK


_COMMANDS: dict[str, Callable[[argparse.Namespace, TextIO], int]] = {
    "serve": _serve, "ingest": _ingest, "user": _user, "devices": _devices, "verify-audit": _verify_audit,
    "gold": _gold, "export": _export, "audit": _audit, "consent": _consent, "retention": _retention,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run one hub command; returns the exit status."""
    try:
        args = build_parser().parse_args(list(sys.argv[1:] if argv is None else argv))
        return _COMMANDS[args.command](args, sys.stdout)
    except _UsageError as exc:
        message = str(exc)
    except WorkstationError as exc:
        message = exc.full_text()
    except OSError as exc:
        message = f"{exc.strerror or exc}" + (f": {exc.filename}" if exc.filename else "")
    except KeyboardInterrupt:
        message = "interrupted"
    except SystemExit as exc:  # --help and --version
        return int(exc.code) if isinstance(exc.code, int) else EXIT_OK
    print(f"error: {printable(message)}", file=sys.stderr)
    return EXIT_USAGE
