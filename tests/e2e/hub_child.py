"""Child process of the kill test: the floor hub, killable with SIGKILL and restarted on the same port.

Prints ``listening <port>`` once it accepts connections. The sign-in throttle is lifted: a kill that lands
inside a sign-in counts as a failed attempt (the hub counts before it checks), which is not what the kill
test is about.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from dataclasses import replace

from tests.hub_fixtures import TEST_HUB
from workstation.hub.server import HubServer


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data")
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    lenient = replace(TEST_HUB, signin_free_failures_per_user_device=10_000, signin_free_failures_per_device=10_000,
                      signin_free_failures_per_address=10_000)
    server = HubServer(args.data, host="127.0.0.1", port=args.port, config=lenient)
    server.start()
    print(f"listening {server.port}", flush=True)
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    done.wait()
    server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
