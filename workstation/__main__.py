"""Entry point: ``python -m workstation [run|demo|hub …|bench|self-test|policy check|shred|--version]``.

The frozen app is the same entry point: every child process this app starts runs this executable again with
a command of its own (``bench-child …``), never ``python -m`` (see :mod:`workstation.processes`).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from pathlib import Path


def _parser() -> argparse.ArgumentParser:
    from workstation import __version__
    from workstation.processes import app_name

    parser = argparse.ArgumentParser(prog=app_name(), description="Floor annotation workstation and its floor hub.")
    parser.add_argument("--version", action="version", version=f"floor-workstation {__version__}")
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("run", help="start the workstation app with this machine's policy (the default)")
    demo = sub.add_parser("demo", help="embedded hub on loopback with synthetic clips, app on a ready shift")
    demo.add_argument("--clips", type=int, default=30, help="how many synthetic clips the demo hub holds (default 30)")
    demo.add_argument("--screenshot", metavar="PNG", help="save a picture of the shift window, then quit")
    demo.add_argument("--fresh", action="store_true", help="start over: new hub data and a new shift")
    demo.add_argument("--supervisor", action="store_true",
                      help="sign in as the demo supervisor on a hub with three weeks of a floor's work (the dashboard)")
    sub.add_parser("hub", help="floor hub commands (serve, ingest, user, devices, verify-audit); see `hub --help`",
                   add_help=False)
    bench = sub.add_parser("bench", help="measure the figures of DESIGN.md 'Numbers to reach'",
                           description="Measure the figures of DESIGN.md 'Numbers to reach'. `bench load --help`: "
                                       "simulated seats against a floor hub, figures per endpoint.")
    bench.add_argument("--json", action="store_true", help="print one JSON object")
    bench.add_argument("--quick", action="store_true", help="smaller clips and fewer rounds (for a smoke run)")
    test = sub.add_parser("self-test", help="check that this seat can work (exit 0) or say why not (exit 1)")
    test.add_argument("--json", action="store_true", help="print one JSON object")
    test.add_argument("--policy", metavar="FILE", type=Path,
                      help="check with this policy file instead of the machine's (before laying it)")
    policy = sub.add_parser("policy", help="machine policy commands: `policy check`")
    policy_sub = policy.add_subparsers(dest="policy_command", required=True)
    check = policy_sub.add_parser("check", help="validate a policy file without opening a window")
    check.add_argument("--path", metavar="FILE", type=Path, help="the file to check (default: the machine's)")
    check.add_argument("--json", action="store_true", help="print one JSON object")
    shred = sub.add_parser("shred", help="remove every shift key and clip cache folder of the app (idempotent)")
    shred.add_argument("--all-users", action="store_true",
                       help="also every user profile's clip cache (as administrator; the uninstaller runs this)")
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    if argv and argv[0] == "hub":
        from workstation.hub.cli import main as hub_main

        return hub_main(argv[1:])
    if argv[:2] == ["bench", "load"]:
        from workstation.bench.load import main as load_main

        return load_main(argv[2:])
    if argv[:1] == ["bench-child"] and len(argv) >= 2:  # the benchmark's child processes (not offered to people)
        return _bench_child(argv[1], argv[2:])
    args = _parser().parse_args(argv)
    if args.command == "demo":
        from workstation.demo import run_demo

        return run_demo(clips=args.clips, screenshot=args.screenshot, fresh=args.fresh,
                        make_history=_demo_history if args.supervisor else None)
    if args.command == "bench":
        from workstation.bench import run_bench

        return run_bench(as_json=args.json, quick=args.quick)
    if args.command == "self-test":
        return _self_test(args.policy, as_json=args.json)
    if args.command == "policy":
        return _policy_check(args.path, as_json=args.json)
    if args.command == "shred":
        return _shred(all_users=args.all_users)
    from workstation.ui.run import run_app

    return run_app()


def _demo_history(folder: Path) -> Path:
    """The supervisor demo's floor: 12 annotators over the 21 days up to yesterday (made once per day)."""
    import shutil
    from datetime import UTC, datetime, timedelta

    from workstation.bench.metrics import FloorSpec, generate

    first = (datetime.now(UTC) - timedelta(days=21)).date().isoformat()
    spec = FloorSpec(annotators=12, days=21, labels=20_000, planted=2, gold_clips=150, first_day=first, seed=4)
    made = generate(folder, spec).folder
    for old in folder.glob("floor-*"):
        if old != made:
            shutil.rmtree(old, ignore_errors=True)  # an earlier day's floor
    return made


def _self_test(policy: Path | None, *, as_json: bool) -> int:
    os.environ.setdefault("QT_LOGGING_RULES", "qt.multimedia*=false")  # the audio probe's backend chatter
    from workstation.platform.audio_probe import audio_output_names
    from workstation.session.selftest import Probes, run_self_test

    report = run_self_test(policy, Probes(audio_outputs=audio_output_names))
    print(report.to_json() if as_json else report.to_text())
    return 0 if report.ok else 1


def _policy_check(path: Path | None, *, as_json: bool) -> int:
    from workstation.policy import PolicyError, load_policy, machine_policy_path, policy_as_dict

    path = path or machine_policy_path()
    try:
        policy = load_policy(path)
    except PolicyError as exc:
        if as_json:
            print(json.dumps({"ok": False, "path": str(path), "problems": exc.problems}, indent=2))
        else:
            print(f"{path}: not valid", file=sys.stderr)
            for problem in exc.problems:
                print(f"  - {problem}", file=sys.stderr)
        return 1
    if as_json:
        print(json.dumps({"ok": True, "path": str(path), "problems": [], "policy": policy_as_dict(policy)}, indent=2))
    else:
        print(f"{path}: valid")
        for key, value in policy_as_dict(policy).items():
            print(f"  {key} = {json.dumps(value)}")
    return 0


def _shred(*, all_users: bool) -> int:
    from workstation.paths import app_data_dir
    from workstation.policy import PolicyError, load_policy
    from workstation.session.shredding import (
        open_account_keystore,
        profile_homes,
        shred_all_accounts,
        shred_this_account,
        this_account_cache_dirs,
    )

    try:
        policy = load_policy()
    except PolicyError as exc:
        policy = None  # shred what the defaults name; a broken policy must not keep clips readable
        print(f"note: {exc.message} Shredding the default places.", file=sys.stderr)
    report = shred_this_account(policy, open_account_keystore(policy), app_data_dir(), this_account_cache_dirs())
    if all_users:
        shred_all_accounts(policy, report, profile_homes())
    for line in report.lines():
        print(line)
    return 1 if report.failed else 0


def _bench_child(what: str, args: list[str]) -> int:
    if what == "window":
        from workstation.ui.bench_window import main as window_main

        return window_main(args)
    if what == "startup":
        from workstation.bench.startup import child_main

        return child_main(args)
    if what == "hub":
        from workstation.bench.loadhub import child_main as hub_main

        return hub_main(args)
    print(f"error: unknown benchmark child {what!r}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    import multiprocessing

    multiprocessing.freeze_support()  # the demo's clip generator spawns workers, also in a frozen app
    sys.exit(main())
