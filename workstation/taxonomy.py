"""The label taxonomy a project uses: labels on keys 1–9, grouped, plus flags. One definition for both ends:
the hub checks a taxonomy with it before storing it, the seat reads the one its shift carries."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from workstation.errors import WorkstationError


class TaxonomyError(WorkstationError):
    """The hub sent a taxonomy the app cannot use."""


@dataclass(frozen=True)
class Label:
    key: str
    code: str
    name: str
    group: str


@dataclass(frozen=True)
class Reason:
    code: str
    name: str


DEFAULT_SKIP_REASONS = (Reason("unplayable", "Clip does not play"), Reason("unclear", "Cannot tell"),
                        Reason("other", "Other"))
DEFAULT_FLAG_REASONS = (Reason("private", "Private content"), Reason("other", "Other"))


@dataclass(frozen=True)
class Taxonomy:
    project: str
    version: int
    labels: tuple[Label, ...]
    flags: tuple[Label, ...] = ()
    skip_reasons: tuple[Reason, ...] = DEFAULT_SKIP_REASONS
    flag_reasons: tuple[Reason, ...] = DEFAULT_FLAG_REASONS

    def by_key(self, key: str) -> Label | None:
        for label in self.labels:
            if label.key == key:
                return label
        return None

    def by_code(self, code: str) -> Label | None:
        for label in (*self.labels, *self.flags):
            if label.code == code:
                return label
        return None

    def groups(self) -> list[tuple[str, list[Label]]]:
        """Labels grouped in the order their groups first appear."""
        out: dict[str, list[Label]] = {}
        for label in self.labels:
            out.setdefault(label.group, []).append(label)
        return list(out.items())

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Taxonomy:
        try:
            labels = tuple(Label(str(x["key"]), str(x["code"]), str(x["name"]), str(x.get("group", ""))) for x in data["labels"])
            flags = tuple(Label(str(x["key"]), str(x["code"]), str(x["name"]), str(x.get("group", ""))) for x in data.get("flags", []))
            skips = tuple(Reason(str(x["code"]), str(x["name"])) for x in data.get("skip_reasons", [])) \
                or DEFAULT_SKIP_REASONS
            flag_reasons = tuple(Reason(str(x["code"]), str(x["name"])) for x in data.get("flag_reasons", [])) \
                or DEFAULT_FLAG_REASONS
            taxonomy = cls(str(data.get("project", "")), int(data.get("version", 1)), labels, flags, skips,
                           flag_reasons)
        except (KeyError, TypeError, ValueError) as exc:
            raise TaxonomyError(f"The hub sent a label taxonomy the app cannot read ({exc}).",
                                hint="Ask IT to check the project's taxonomy on the hub.") from None
        if "unplayable" not in {r.code for r in taxonomy.skip_reasons}:
            raise TaxonomyError("The hub's label taxonomy must offer the skip reason 'unplayable'.",
                                hint="Ask IT to check the project's taxonomy on the hub.")
        keys = [label.key for label in labels]
        if not labels or len(set(keys)) != len(keys) or any(k not in "123456789" or len(k) != 1 for k in keys):
            raise TaxonomyError("The hub's label taxonomy must put 1 to 9 labels on distinct keys 1–9.",
                                hint="Ask IT to check the project's taxonomy on the hub.")
        return taxonomy

    def to_dict(self) -> dict[str, Any]:
        return {
            "project": self.project,
            "version": self.version,
            "labels": [vars(label) for label in self.labels],
            "flags": [vars(label) for label in self.flags],
            "skip_reasons": [vars(reason) for reason in self.skip_reasons],
            "flag_reasons": [vars(reason) for reason in self.flag_reasons],
        }
