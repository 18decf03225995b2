"""The supervisor's dashboard: per-annotator figures, the hourly trend, agreement, one annotator's clips, the
disposal queue and the audit chains — labels and timings, never video."""
