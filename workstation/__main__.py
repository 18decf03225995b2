"""Entry point: ``python -m workstation [run|demo|hub …|bench]``."""

from __future__ import annotations

import argparse
import logging
import sys


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m workstation",
                                     description="Floor annotation workstation and its floor hub.")
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("run", help="start the workstation app with this machine's policy (the default)")
    demo = sub.add_parser("demo", help="embedded hub on loopback with synthetic clips, app on a ready shift")
    demo.add_argument("--clips", type=int, default=30, help="how many synthetic clips the demo hub holds (default 30)")
    demo.add_argument("--screenshot", metavar="PNG", help="save a picture of the shift window, then quit")
    demo.add_argument("--fresh", action="store_true", help="start over: new hub data and a new shift")
    sub.add_parser("hub", help="floor hub commands (serve, ingest, user, devices, verify-audit); see `hub --help`",
                   add_help=False)
    bench = sub.add_parser("bench", help="measure the figures of DESIGN.md 'Numbers to reach'")
    bench.add_argument("--json", action="store_true", help="print one JSON object")
    bench.add_argument("--quick", action="store_true", help="smaller clips and fewer rounds (for a smoke run)")
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    if argv and argv[0] == "hub":
        from workstation.hub.cli import main as hub_main

        return hub_main(argv[1:])
    args = _parser().parse_args(argv)
    if args.command == "demo":
        from workstation.demo import run_demo

        return run_demo(clips=args.clips, screenshot=args.screenshot, fresh=args.fresh)
    if args.command == "bench":
        from workstation.bench import run_bench

        return run_bench(as_json=args.json, quick=args.quick)
    from workstation.ui.run import run_app

    return run_app()


if __name__ == "__main__":
    import multiprocessing

    multiprocessing.freeze_support()  # the demo's clip generator spawns workers, also in a frozen app
    sys.exit(main())
