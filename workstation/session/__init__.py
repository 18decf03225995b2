"""The seat's use cases, between the window and the domain (no Qt; ``ui/`` calls it, never the other way).

It owns the rules of a floor seat:

* :mod:`~workstation.session.seat` — the seat assembled from the machine policy (key store, local store,
  cache, hub client), a damaged store set aside, owner-only files;
* :mod:`~workstation.session.enrollment` — the seat's device key and its enrollment with the hub;
* :mod:`~workstation.session.signin` — who may work here: online sign-in, offline continuation by the
  shift's owner only, sign-out, expiry;
* :mod:`~workstation.session.starting` — a shift fetched from the hub;
* :mod:`~workstation.session.decisions` — label, skip, flag, undo, withdrawn clips: checked, written once,
  answered with what changed;
* :mod:`~workstation.session.outbox` — the one owner of the outbox: each annotator's decisions go with her
  own session;
* :mod:`~workstation.session.password` — local password verifiers and escalating waits;
* :mod:`~workstation.session.capture` — the policy's capture rule as one decision;
* :mod:`~workstation.session.localshift` — a shift laid into a store without a hub (benchmark, tests).

Every write to the seat's store goes through the store's single writer thread
(:mod:`workstation.labeling.writer`).
"""
