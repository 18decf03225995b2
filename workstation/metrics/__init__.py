"""Supervisor metrics: throughput, timing plausibility, agreement and outliers, as pure functions over rows.

This package owns the *rules* behind every figure a supervisor sees (DESIGN.md "Supervisor"), so that the
hub's summaries, its endpoints, the benchmark and the tests compute them one way:

- :mod:`.plausibility` — when a decision's timings cannot be true (watched longer than the clip, decided
  before shown, active longer than the clip was up, the seat's clock far off), with the tolerances;
- :mod:`.histogram` — the fixed-bucket histogram of seconds per clip that summaries keep, and its
  quantiles with their documented precision;
- :mod:`.throughput` — what one decision adds to a summary, and the figures of a summed summary
  (clips, active hours, clips per active hour, median and p90 seconds per clip, watched fraction, fast
  share, skip, flag and gold figures);
- :mod:`.agreement` — Cohen's κ per pair, Fleiss' κ and Krippendorff's α (nominal) over overlapped clips;
- :mod:`.outliers` — who is far faster than the floor with low gold accuracy (median/MAD), and why.

No Qt, no database, no network, no clock: callers pass rows and times in. A figure that is undefined (no
clips, one annotator, no overlap, every rating the same) is ``None``, never NaN.
"""
