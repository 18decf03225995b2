"""Build the frozen one-folder app for the OS this runs on: ``python build_scripts/build.py [--installer]``.

Runs PyInstaller on ``build_scripts/workstation.spec`` (its decisions are data in ``bundle.py``), prints the
folder's size, file count, the archive's size and the build time, writes the ``.tar.gz`` on Linux, and exits 1
with one line when the folder or the archive is past its limit (``bundle.LIMITS_MB``). ``--installer`` then
makes this OS's installer from ``packaging/`` with the same version: the ``.deb`` (Linux), the ``.dmg``
(macOS), the Inno Setup ``setup.exe`` (Windows), each signed by its hook when the environment holds a
certificate. Sizes are MiB (2^20 bytes), as ``du -sh`` shows them.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tarfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bundle

ROOT = bundle.ROOT
SPEC = Path(__file__).resolve().parent / "workstation.spec"
MIB = 1 << 20


@dataclass(frozen=True)
class Measure:
    bytes: int
    files: int

    @property
    def mib(self) -> float:
        return self.bytes / MIB


def measure(folder: Path) -> Measure:
    """Total size and count of the regular files under ``folder`` (symbolic links count for nothing)."""
    total = files = 0
    for path in folder.rglob("*"):
        if path.is_file() and not path.is_symlink():
            total += path.stat().st_size
            files += 1
    return Measure(total, files)


def archive_name() -> str:
    return f"{bundle.EXE_NAME}-{bundle.version()}-{bundle.platform_tag()}-{bundle.machine()}.tar.gz"


def write_archive(folder: Path, out: Path) -> None:
    """``out`` holds ``folder`` as one top folder; modes and symbolic links kept; gzip level 6, as gzip's own."""
    tmp = out.with_name(out.name + ".part")
    with tarfile.open(tmp, "w:gz", compresslevel=6) as tar:
        tar.add(folder, arcname=folder.name)
    tmp.replace(out)


def run_pyinstaller(dist: Path, work: Path, log: Path) -> None:
    """PyInstaller on the spec; its output goes to ``log`` (the tail is shown when it fails)."""
    command = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
               "--distpath", str(dist), "--workpath", str(work), str(SPEC)]
    with log.open("w", encoding="utf-8") as out:
        result = subprocess.run(command, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, check=False)
    if result.returncode != 0:
        tail = log.read_text(encoding="utf-8", errors="replace").splitlines()[-40:]
        print("\n".join(tail), file=sys.stderr)
        raise SystemExit(f"build: FAILED: PyInstaller exited {result.returncode} (whole log: {log})")


def strip_debug_info(app: Path) -> None:
    """Remove the debug sections of the libraries :data:`bundle.STRIP_DEBUG` names (ELF only, with binutils' strip;
    elsewhere nothing is done). Only those: stripping every library broke numpy's."""
    strip = shutil.which("strip")
    if strip is None or bundle.platform_tag() != "linux":
        return
    for pattern in bundle.STRIP_DEBUG:
        for library in sorted(app.glob(pattern)):
            subprocess.run([strip, "--strip-debug", str(library)], check=True)


def make_installer(app: Path, out: Path) -> Path:
    """This OS's installer from ``packaging/``, with the one version."""
    version = bundle.version()
    tag = bundle.platform_tag()
    if tag == "linux":
        script = ROOT / "packaging" / "linux" / "build_deb.sh"
        subprocess.run(["bash", str(script), str(app), bundle.deb_version(), str(out)], check=True)
        return out / f"{bundle.EXE_NAME}_{bundle.deb_version()}_{deb_arch()}.deb"
    if tag == "macos":
        script = ROOT / "packaging" / "macos" / "make_dmg.sh"
        subprocess.run(["bash", str(script), str(app.parent / bundle.APP_BUNDLE), version, str(out)], check=True)
        return out / f"FloorWorkstation-{version}.dmg"
    iscc = shutil.which("iscc") or shutil.which("ISCC")
    if iscc is None:
        raise SystemExit("build: FAILED: Inno Setup's iscc is not on PATH (install Inno Setup 6)")
    iss = ROOT / "packaging" / "windows" / "floor-workstation.iss"
    sign = ROOT / "packaging" / "windows" / "sign.ps1"
    # The hook signs the two executables, the setup and its uninstaller when FLOOR_SIGN_CERT is set; else it says so.
    sign_tool = f'/Sfloorsign=powershell -NoProfile -ExecutionPolicy Bypass -File "{sign}" $f'
    subprocess.run([iscc, f"/DAppVersion={version}",
                    f"/DAppVersionInfo={bundle.numeric_version()}", f"/DAppSource={app}", "/DSign", sign_tool, f"/O{out}", str(iss)],
                   check=True)
    setup = out / f"FloorWorkstation-{version}-setup.exe"
    return setup


def deb_arch() -> str:
    return {"x86_64": "amd64", "arm64": "arm64"}.get(bundle.machine(), bundle.machine())


def over_limits(folder: Measure, archive: Measure | None) -> str | None:
    """One line naming the first limit passed, or None."""
    if folder.mib > bundle.LIMITS_MB["folder"]:
        return (f"the folder is {folder.mib:.1f} MB, over its {bundle.LIMITS_MB['folder']} MB limit "
                "(see build_scripts/README.md for what makes it smaller)")
    if archive is not None and archive.mib > bundle.LIMITS_MB["archive"]:
        return f"the .tar.gz is {archive.mib:.1f} MB, over its {bundle.LIMITS_MB['archive']} MB limit"
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="where the app goes (default dist/)")
    parser.add_argument("--work", type=Path, default=ROOT / "build", help="PyInstaller's work folder (build/)")
    parser.add_argument("--installer", action="store_true", help="also make this OS's installer from packaging/")
    args = parser.parse_args(argv)
    dist, work = args.dist.resolve(), args.work.resolve()
    dist.mkdir(parents=True, exist_ok=True)
    work.mkdir(parents=True, exist_ok=True)
    version = bundle.version()
    print(f"build: {bundle.EXE_NAME} {version} for {bundle.platform_tag()}-{bundle.machine()} into {dist}", flush=True)

    started = time.monotonic()
    run_pyinstaller(dist, work, work / "pyinstaller.log")
    app = dist / bundle.EXE_NAME
    strip_debug_info(app)
    frozen_s = time.monotonic() - started
    folder = measure(app)
    print(f"folder: {app}: {folder.mib:.1f} MB in {folder.files} files", flush=True)

    archive: Measure | None = None
    archive_s = 0.0
    if bundle.platform_tag() == "linux":
        out = dist / archive_name()
        began = time.monotonic()
        write_archive(app, out)
        archive_s = time.monotonic() - began
        archive = Measure(out.stat().st_size, 1)
        print(f"archive: {out}: {archive.mib:.1f} MB", flush=True)
    print(f"build time: {frozen_s + archive_s:.0f} s (PyInstaller {frozen_s:.0f} s, archive {archive_s:.0f} s)",
          flush=True)

    problem = over_limits(folder, archive)
    if problem:
        print(f"build: FAILED: {problem}", file=sys.stderr)
        return 1
    if args.installer:
        installer = make_installer(app, dist)
        print(f"installer: {installer}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
