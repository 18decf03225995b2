"""The end-of-shift summary an annotator reads (text from the shift's decisions, in the screen's language)."""

from __future__ import annotations

import statistics

from PySide6.QtCore import QObject

from workstation.labeling.shift import ShiftState
from workstation.ui.domain_text import taxonomy_word


class Summary(QObject):
    """The summary's words (a QObject: lupdate finds counted words, ``%n``, only in a QObject's ``tr``)."""

    def text(self, state: ShiftState, pending: int) -> str:
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
            lines.append(f"{taxonomy_word(label.name) if label else code}: {n}")
        median = statistics.median(seconds) if seconds else 0.0
        if pending == 0:
            sync_line = self.tr("All decisions have reached the hub.")
        else:
            sync_line = self.tr("%n decisions are saved here and will reach the hub when it answers.", "", pending)
        head = self.tr("Shift complete — {done} of %n clips decided.", "", state.total).format(done=state.done)
        counts_line = self.tr("Skipped: {skipped}    Flagged sensitive: {flagged}").format(skipped=skipped,
                                                                                           flagged=flagged)
        median_line = self.tr("Median active time per clip: {seconds} s").format(seconds=f"{median:.1f}")
        return f"{head}\n\n" + "\n".join(lines) + f"\n\n{counts_line}\n{median_line}\n\n{sync_line}"


def summary_text(state: ShiftState, pending: int) -> str:
    """The summary in the screen's language."""
    return Summary().text(state, pending)
