"""The end-of-shift summary an annotator reads (pure text from the shift's decisions)."""

from __future__ import annotations

import statistics

from workstation.labeling.shift import ShiftState


def summary_text(state: ShiftState, pending: int) -> str:
    """Counts per label, skipped, flagged, median active seconds per clip, and the sync state."""
    taxonomy = state.taxonomy
    counts: dict[str, int] = {}
    skipped = flagged = 0
    seconds: list[float] = []
    for record in state.decided.values():
        seconds.append(float(record.timings.get("active_s", 0.0)))
        if record.kind == "skip":
            skipped += 1
        elif record.kind == "flag":
            flagged += 1
        else:
            counts[record.label] = counts.get(record.label, 0) + 1
    lines = []
    for code, n in sorted(counts.items(), key=lambda kv: -kv[1]):
        label = taxonomy.by_code(code)
        lines.append(f"{label.name if label else code}: {n}")
    median = statistics.median(seconds) if seconds else 0.0
    sync_line = "All decisions have reached the hub." if pending == 0 else \
        (f"{pending} decision{'s are' if pending != 1 else ' is'} saved here and will reach the hub "
         "when it answers.")
    return (f"Shift complete — {state.done} of {state.total} clips decided.\n\n"
            + "\n".join(lines)
            + f"\n\nSkipped: {skipped}    Flagged sensitive: {flagged}"
            + f"\nMedian active time per clip: {median:.1f} s\n\n{sync_line}")
