"""Keep the app's translations: the ``.ts`` sources and the compiled ``.qm`` files shipped in resources/i18n/.

    python scripts/i18n.py update    # pyside6-lupdate over workstation/ui → resources/i18n/floor_<lang>.ts
    python scripts/i18n.py compile   # pyside6-lrelease → resources/i18n/floor_<lang>.qm (committed, shipped)
    python scripts/i18n.py check     # exit 1 when a .qm is not what its .ts compiles to, or a .ts is behind the code

``update`` adds new source strings (unfinished) and drops strings the code no longer has; translate the new
ones in Qt Linguist (``pyside6-linguist resources/i18n/floor_ro.ts``) or in the XML, then ``compile``.
``floor_en.ts`` holds only the English plural forms ("%n clips" → "1 clip" / "2 clips"): English is the source.
The UI's sources are everything under workstation/ui/ but the benchmark's window (a developer tool, English).
"""

from __future__ import annotations

import filecmp
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
I18N = ROOT / "resources" / "i18n"
LANGUAGES = ("ro", "hi")
"""Languages translated in full (for the annotator's screens); English gets its plural forms only."""
NOT_TRANSLATED = {"bench_window.py"}


def ui_sources() -> list[Path]:
    return sorted(p for p in (ROOT / "workstation" / "ui").rglob("*.py") if p.name not in NOT_TRANSLATED)


def ts_file(language: str) -> Path:
    return I18N / f"floor_{language}.ts"


def _run(tool: str, *args: str) -> None:
    subprocess.run([tool, *args], check=True, stdout=subprocess.DEVNULL, cwd=ROOT)


def lupdate(targets: dict[str, Path]) -> None:
    """Bring each ``language → .ts`` up to date with the UI's sources."""
    sources = [str(p.relative_to(ROOT)) for p in ui_sources()]
    for language, ts in targets.items():
        extra = ["-pluralonly"] if language == "en" else []
        _run("pyside6-lupdate", *sources, "-no-obsolete", "-locations", "none", "-source-language", "en",
             "-target-language", language, *extra, "-ts", str(ts))


def lrelease(ts: Path, qm: Path) -> None:
    _run("pyside6-lrelease", "-silent", "-nounfinished", "-removeidentical", str(ts), "-qm", str(qm))


def update() -> None:
    I18N.mkdir(parents=True, exist_ok=True)
    lupdate({language: ts_file(language) for language in ("en", *LANGUAGES)})


def compile_all(out: Path = I18N) -> list[Path]:
    made = []
    for ts in sorted(I18N.glob("floor_*.ts")):
        qm = out / ts.with_suffix(".qm").name
        lrelease(ts, qm)
        made.append(qm)
    return made


def check() -> list[str]:
    """What is stale: a .ts the code has moved on from, a .qm that is not its .ts compiled."""
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        copies = {}
        for ts in sorted(I18N.glob("floor_*.ts")):
            copy = work / ts.name
            shutil.copy(ts, copy)
            copies[ts.stem.removeprefix("floor_")] = copy
        lupdate(copies)
        for language, copy in copies.items():
            if copy.read_bytes() != ts_file(language).read_bytes():
                problems.append(f"{ts_file(language).name} is behind the code: run `python scripts/i18n.py update`")
        for qm in compile_all(work):
            shipped = I18N / qm.name
            if not shipped.is_file() or not filecmp.cmp(qm, shipped, shallow=False):
                problems.append(f"{qm.name} is not what its .ts compiles to: run `python scripts/i18n.py compile`")
    return problems


def main(argv: list[str]) -> int:
    if argv == ["update"]:
        update()
    elif argv == ["compile"]:
        for qm in compile_all():
            print(qm.relative_to(ROOT))
    elif argv == ["check"]:
        problems = check()
        for line in problems:
            print(line, file=sys.stderr)
        return 1 if problems else 0
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
