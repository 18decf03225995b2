"""Child process of the kill test: labels a shift clip by clip and syncs now and then.

It prints ``committed <label id>`` after each label is durable. The parent kills it with SIGKILL at
random moments and starts it again; the child resumes from the local store.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

import keyring

from tests.keyring_backend import FileKeyring
from workstation.labeling.shift import device_key, ensure_enrolled
from workstation.policy import Policy
from workstation.seat import Seat
from workstation.sync.errors import HubClientError
from workstation.sync.outbox import drain_once


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
    device = ensure_enrolled(seat.client, seat.keystore, seat.store, "kill-seat")
    if device.status != "approved":
        print(f"pending {device.enrollment_code}", flush=True)
        return 3
    seat.client.sign_in("ana", args.password, device.device_id, device_key(seat.keystore))
    state = seat.service.resumable() or seat.service.start(seat.client, username="ana",
                                                           device_id=device.device_id, size=None)
    codes = [label.code for label in state.taxonomy.labels]
    while True:
        decided = seat.store.decisions(state.shift_id)
        todo = [c for c in state.clips if c.clip_id not in decided]
        if not todo:
            break
        clip = todo[0]
        nxt = todo[1].clip_id if len(todo) > 1 else None
        record = seat.store.add_label(state.shift_id, clip.clip_id, rng.choice(codes),
                                      shown_at="2026-11-25T10:00:00.000Z", next_clip=nxt)
        print(f"committed {record.id}", flush=True)
        time.sleep(rng.uniform(0.02, 0.1))  # the annotator watches the next clip
        if rng.random() < 0.3:
            try:
                drain_once(seat.store, seat.client, batch_size=rng.choice([1, 2, 5]))
            except HubClientError:
                pass
    drain_once(seat.store, seat.client)
    print("done", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
