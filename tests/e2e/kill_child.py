"""Child process of the kill test: an annotator's seat that decides clip after clip and syncs now and then.

It reports what it does, one line each, flushed at once, so the parent can kill it (or the hub) at a
chosen moment instead of after a guessed delay:

* ``signed-in`` — the shift is open (after a restart: re-keyed and resumed);
* ``committed <label id>`` — a decision is durable in the local store; the seat then waits for a line on its
  stdin (the parent's "go on", or the kill), so a busy parent never lets it run ahead;
* ``sign-in-failed <why>`` — the hub is away (restarting); tried again;
* ``sending`` / ``sent <labels> <audit>`` / ``send-failed`` — a sync with the hub started, ended, failed;
* ``done`` — every clip is decided and every decision and audit event is on the hub.

A hub that is away (killed by the parent, restarting) is waited for; labeling goes on meanwhile.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

import keyring

from tests.keyring_backend import FileKeyring
from workstation.policy import Policy
from workstation.session.outbox import OutboxOwner
from workstation.session.seat import Seat
from workstation.session.signin import SeatSession
from workstation.sync.errors import HubClientError


def say(line: str) -> None:
    print(line, flush=True)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--hub")
    parser.add_argument("--data")
    parser.add_argument("--password")
    parser.add_argument("--seed", type=int)
    args = parser.parse_args()
    data = Path(args.data)
    keyring.set_keyring(FileKeyring(str(data / "keyring.json")))
    rng = random.Random(args.seed)
    seat = Seat.open(Policy(hub_url=args.hub, key_store="keyring", seat="kill-seat"), data_dir=data / "ws")
    outbox = OutboxOwner(seat.store, seat.make_client(), batch_size=rng.choice([1, 2, 5]))
    session = SeatSession(seat, outbox)
    while True:  # the hub may be restarting
        try:
            device = session.check_device()
            if device.status != "approved":
                say(f"pending {device.enrollment_code}")
                return 3
            state = session.sign_in_to_shift("ana", args.password)
            break
        except HubClientError as exc:
            say(f"sign-in-failed {type(exc).__name__}: {exc}")  # the hub is restarting; said, so a hang shows why
            time.sleep(0.05)
    say("signed-in")
    codes = [label.code for label in state.taxonomy.labels]

    def send() -> bool:
        say("sending")
        try:
            sent = outbox.send_now()
        except HubClientError:
            say("send-failed")
            return False
        say(f"sent {sent.labels} {sent.audit}")
        return True

    while True:
        decided = seat.store.decisions(state.shift_id)
        todo = [c for c in state.clips if c.clip_id not in decided]
        if not todo:
            break
        clip = todo[0]
        nxt = todo[1].clip_id if len(todo) > 1 else None
        record = seat.store.add_label(state.shift_id, clip.clip_id, rng.choice(codes),
                                      shown_at="2026-11-25T10:00:00.000Z", next_clip=nxt)
        say(f"committed {record.id}")
        sys.stdin.readline()  # the parent kills here, or says go on: this seat never runs ahead of it
        time.sleep(rng.uniform(0.02, 0.1))  # the annotator watches the next clip
        if rng.random() < 0.4:
            send()
    while not (send() and seat.store.pending_count() == 0 and seat.store.unsent_audit_count() == 0):
        time.sleep(0.05)  # the hub is away for a moment: it is restarted by the parent
    say("done")
    return 0


if __name__ == "__main__":
    sys.exit(main())
