"""``python -m workstation hub …``: serve, ingest, users, devices, gold, export, audit and verify-audit, for IT,
admins and supervisors at the hub.

Every mistake a person can make here ends in one line ``error: …`` on stderr and exit status 2;
``ingest`` exits 1 when any file was rejected, ``verify-audit`` when any audit chain is broken,
``user unlock`` for an unknown user. No tracebacks. Gold changes and exports made here are in the hub's
audit under ``cli:<account>``.
"""

from __future__ import annotations

import argparse
import getpass
import json
import re
import signal
import sys
import unicodedata
from collections.abc import Callable, Sequence
from pathlib import Path
from types import FrameType
from typing import NoReturn, TextIO

from workstation.errors import WorkstationError
from workstation.hub import ingest, users
from workstation.hub.config import HubConfig
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
    parser = _Parser(prog="python -m workstation hub", description="Run and administer the floor hub.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    def data_option(p: argparse.ArgumentParser) -> None:
        p.add_argument("--data", required=True, metavar="DIR",
                       help="the hub's data folder (hub.db, master.key, blobs/); set up when new")

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
        "ingest", help="probe, encrypt and store clip files",
        description="Probe each clip (it must decode completely), encrypt it into the hub's store and record it. "
                    "A folder is searched recursively for video files "
                    f"({', '.join(ingest.VIDEO_SUFFIXES)}). A file ingested before is reported 'ok' with its "
                    "existing clip id and is not stored twice. Exit status: 0 when every file is in the hub, "
                    "1 when any was rejected, 2 on a usage error.",
    )
    ing.add_argument("paths", nargs="+", metavar="PATH", help="clip files or folders")
    data_option(ing)
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
    data_option(dev.add_parser("list", help="list enrolled devices"))
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
    service = HubService(args.data)
    _say_tightened(service)
    return service


def _serve(args: argparse.Namespace, out: TextIO) -> int:
    from workstation.hub.server import HubServer  # uvicorn only when serving

    if args.tls_cert is None and args.tls_key is None and not is_loopback_host(args.host):
        raise _UsageError(f"serving plain HTTP on {args.host} would send passwords and labels in the clear (and "
                          "workstations refuse it): pass --tls-cert and --tls-key, or listen on 127.0.0.1")
    server = HubServer(args.data, host=args.host, port=args.port, log_level="info",
                       tls_cert=args.tls_cert, tls_key=args.tls_key, config=HubConfig(api_docs=args.docs))
    _say_tightened(server.service)

    def _terminate(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        url = server.start()
        print(f"Floor hub listening on {url}/api/v1 (OpenAPI: {url}/openapi.json); data in {server.service.data_dir}",
              file=out, flush=True)
        server.wait()
    except KeyboardInterrupt:
        print("Stopping the floor hub.", file=out, flush=True)
    finally:
        server.stop()
        signal.signal(signal.SIGTERM, previous)
    return EXIT_OK




def _ingest(args: argparse.Namespace, out: TextIO) -> int:
    from tqdm import tqdm

    service = _service(args)
    bars: list[tqdm[None]] = []

    def _tick(done: int, total: int, result: ingest.IngestResult) -> None:
        if not bars:
            bars.append(tqdm(total=total, unit="clip", file=sys.stderr, leave=False))
        bars[0].update(1)

    progress = _tick if sys.stderr.isatty() else None  # a bar only for a person watching
    try:
        results = service.ingest(args.paths, progress, project=args.project)
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
            print(printable(f"{d.device_id}  {d.status:<8}  {d.enrollment_code}  {d.created_at}  {d.label}"),
                  file=out)
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
    print(f"clip {args.clip}: " + ("unknown to this hub" if clip is None else
                                  f"{clip['status']}, project {clip['project']}, ingested {clip['ingested_at']}"
                                  f"{', gold' if clip['gold'] else ''}"), file=out)
    lines = [(a["assigned_at"], (f"given     {a['user']} on {a['seat']} in shift {a['shift_id'][:8]}"
                                f"{' (withdrawn ' + a['withdrawn_at'] + ')' if a['withdrawn_at'] else ''}"))
             for a in found["assignments"]]
    lines += [(h["at"], f"handed    {h['what']} to {h['user']} on {h['seat']}") for h in found["handouts"]]
    lines += [(e["at"], (f"seat      {e['kind']} by {e['user'] or '-'} on {e['seat']}"
                        f" (delivered by {e['delivered_by'] or '-'})")) for e in found["events"]]
    lines += [(d["received_at"], (f"decision  {d['kind']} {d['label']} by {d['user']} on {d['seat']}"
                                 f"{'' if d['standing'] else ' (taken back)'}")) for d in found["decisions"]]
    for at, text in sorted(lines, key=lambda line: line[0]):
        print(printable(f"{at}  {text}"), file=out)
    if not lines:
        print("nothing recorded for this clip", file=out)
    return EXIT_OK


_COMMANDS: dict[str, Callable[[argparse.Namespace, TextIO], int]] = {
    "serve": _serve, "ingest": _ingest, "user": _user, "devices": _devices, "verify-audit": _verify_audit,
    "gold": _gold, "export": _export, "audit": _audit,
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
