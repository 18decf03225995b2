"""The installer scripts in ``packaging/`` agree with the app: the policy's place and keys, the commands they run,
the hub's flags, the one version. Inno Setup, codesign and hdiutil cannot run here, so those scripts are read;
the ``.deb`` is built for real from a tiny stand-in app where ``dpkg-deb`` exists, and the Linux policy tool runs.
"""

from __future__ import annotations

import os
import plistlib
import re
import shlex
import shutil
import stat
import subprocess
import sys
import tomllib
from pathlib import Path, PurePosixPath, PureWindowsPath

import pytest

from tests.packaging import build_script
from workstation import APP_NAME, __version__
from workstation.policy import POLICY_KEYS, load_policy, machine_policy_path, parse_policy

ROOT = Path(__file__).resolve().parents[2]
bundle = build_script("bundle")
build = build_script("build")

PACKAGING = ROOT / "packaging"
ISS = (PACKAGING / "windows" / "floor-workstation.iss").read_text(encoding="utf-8")
IT = (ROOT / "docs" / "IT.md").read_text(encoding="utf-8")
UNIT_FILE = PACKAGING / "linux" / "floor-hub.service"
DEB_APP = PurePosixPath("/opt/floor-workstation")


def policy_path_on(platform: str, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(sys, "platform", platform)
    return machine_policy_path()


def app_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "workstation", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, check=False)


def accepts(*args: str) -> bool:
    """The app's parser takes this command line (argparse answers 2 to a usage mistake)."""
    return app_cli(*args).returncode != 2


# --------------------------------------------------------------------------- one version


def test_one_version_from_the_package() -> None:
    assert bundle.version() == __version__
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project.get("version", __version__) == __version__ or "version" in project.get("dynamic", []), \
        "pyproject.toml's version differs from workstation.__version__"
    assert bundle.deb_version("1.2.0rc1") == "1.2.0~rc1" and bundle.deb_version("1.2.0") == "1.2.0"
    assert bundle.numeric_version("1.2.0rc1") == "1.2.0"


def test_every_installer_takes_the_version_from_build_py() -> None:
    build_source = (ROOT / "build_scripts" / "build.py").read_text(encoding="utf-8")
    assert re.search(r"#ifndef AppVersion\s+#error", ISS)  # iscc without the version fails
    assert "AppVersion={#AppVersion}" in ISS and "/DAppVersion={version}" in build_source
    assert re.search(r"^OutputBaseFilename=FloorWorkstation-\{#AppVersion\}-setup$", ISS, flags=re.MULTILINE)
    plist = plistlib.loads(bundle.fill((PACKAGING / "macos" / "Info.plist").read_text(encoding="utf-8")).encode())
    assert plist["CFBundleShortVersionString"] == __version__
    assert plist["CFBundleVersion"] == bundle.numeric_version()
    control = (PACKAGING / "linux" / "control").read_text(encoding="utf-8")
    assert re.search(r"^Version: @VERSION@$", control, flags=re.MULTILINE)
    assert "bundle.deb_version()" in build_source


def test_it_md_names_the_installers_and_places_the_scripts_make(monkeypatch: pytest.MonkeyPatch) -> None:
    assert "FloorWorkstation-VERSION-setup.exe" in IT and "FloorWorkstation-VERSION.dmg" in IT
    assert "floor-workstation_VERSION_amd64.deb" in IT
    assert r"C:\Program Files\Floor Workstation" in IT and re.search(r"^DefaultDirName=\{autopf\}\\\{#AppName\}$",
                                                                      ISS, flags=re.MULTILINE)
    assert '#define AppName "Floor Workstation"' in ISS
    assert f"/Applications/{bundle.APP_BUNDLE}" in IT
    assert f"`{DEB_APP}/`" in IT
    for platform in ("win32", "darwin", "linux"):
        shown = str(policy_path_on(platform, monkeypatch)).replace("/", "\\") if platform == "win32" else \
            str(policy_path_on(platform, monkeypatch))
        assert shown in IT, shown


# --------------------------------------------------------------------------- Windows


def iss_define(name: str) -> str:
    found = re.search(rf'^#define {name} "([^"]*)"$', ISS, flags=re.MULTILINE)
    assert found, name
    return found.group(1)


def iss_section(name: str) -> str:
    found = re.search(rf"^\[{name}\]\n(.*?)(?=^\[|\Z)", ISS, flags=re.MULTILINE | re.DOTALL)
    assert found, name
    return found.group(1)


def test_windows_installs_per_machine_with_both_executables() -> None:
    setup = iss_section("Setup")
    assert re.search(r"^PrivilegesRequired=admin$", setup, flags=re.MULTILINE)
    assert re.search(r"^ArchitecturesInstallIn64BitMode=x64compatible$", setup, flags=re.MULTILINE)
    assert iss_define("ExeName") == f"{bundle.EXE_NAME}.exe"
    assert iss_define("WindowedExeName") == f"{bundle.WINDOWED_EXE_NAME}.exe"
    files = iss_section("Files")
    assert '"{#AppSource}\\{#ExeName}"' in files and '"{#AppSource}\\{#WindowedExeName}"' in files
    assert re.search(r'Source: "\{#AppSource\}\\\*".*recursesubdirs', files)
    icons = iss_section("Icons")
    assert re.search(r'Name: "\{autoprograms\}\\\{#AppName\}"; Filename: "\{app\}\\\{#WindowedExeName\}"', icons)


def test_windows_lays_the_policy_where_the_app_reads_it(monkeypatch: pytest.MonkeyPatch) -> None:
    path = PureWindowsPath(policy_path_on("win32", monkeypatch))
    under_program_data = path.relative_to(PureWindowsPath(r"C:\ProgramData"))
    assert under_program_data == PureWindowsPath(iss_define("PolicyFolder"), iss_define("PolicyFile"))
    # {commonappdata} is FOLDERID_ProgramData, the folder workstation.policy asks the shell for
    assert "Result := ExpandConstant('{commonappdata}\\{#PolicyFolder}');" in ISS
    assert "Result := PolicyDir + '\\{#PolicyFile}';" in ISS
    assert "{param:HUBURL|}" in ISS and "{param:CAFILE|}" in ISS
    assert "/VERYSILENT /HUBURL=" in IT and "/CAFILE=" in IT


def iss_policy_text(hub_url: str) -> str:
    """The policy ``WritePolicy`` writes with /HUBURL= and /CAFILE=, read out of its string literals."""
    body = re.search(r"^function WritePolicy: Boolean;\n(.*?)^end;$", ISS, flags=re.MULTILINE | re.DOTALL)
    assert body
    code = body.group(1).replace("' + HubUrl + '", hub_url)
    for name in ("CaFile", "PolicyFile"):
        code = code.replace("{#" + name + "}", iss_define(name))
    literals = [s.replace("''", "'") for s in re.findall(r"'((?:[^']|'')*)'", code)]
    return "\n".join(s for s in literals if re.match(r"^(#|[a-z_]+ = )", s)) + "\n"


def test_windows_writes_only_keys_the_app_reads_and_a_valid_policy(tmp_path: Path) -> None:
    import trustme

    text = iss_policy_text("https://hub.floor:8470")
    data = tomllib.loads(text)
    assert set(data) == {"hub_url", "hub_ca"} and set(data) <= set(POLICY_KEYS)
    trustme.CA().cert_pem.write_to_path(str(tmp_path / iss_define("CaFile")))
    policy = parse_policy(data, tmp_path / iss_define("PolicyFile"))  # hub_ca is read next to the policy
    assert policy.hub_url == "https://hub.floor:8470" and policy.hub_ca == tmp_path / "floor-ca.pem"


def test_windows_policy_folder_is_read_only_for_users() -> None:
    calls = re.findall(r"Icacls\('\"' \+ PolicyDir \+ '(\\\*)?\" ([^']*)'\);", ISS)
    assert [(star, params.split()[0]) for star, params in calls] == \
        [("", "/setowner"), ("", "/inheritance:r"), ("\\*", "/reset")], calls
    assert calls[0][1].startswith("/setowner *S-1-5-32-544 /T")  # Administrators own the folder and its files
    grants = dict(re.findall(r"\*(S-[\d-]+):\(OI\)\(CI\)(\w+)", calls[1][1]))
    assert grants == {"S-1-5-18": "F", "S-1-5-32-544": "F", "S-1-5-32-545": "RX"}  # SYSTEM, Administrators, Users
    assert "/grant:r" in calls[1][1] and "/T" in calls[2][1]


def test_windows_checks_the_policy_with_the_app_and_fails_the_install() -> None:
    assert re.search(r"\{app\}\\\{#ExeName\}'\) \+ '\" policy check --path \"' \+\s*PolicyPath", ISS)
    assert accepts("policy", "check", "--path", str(ROOT / "no-such-policy.toml"))
    assert "GetCustomSetupExitCode" in ISS and "PolicyInvalidExitCode = 2" in ISS
    assert "Restore('{#PolicyFile}');" in ISS  # a policy that fails is taken back


def test_windows_uninstall_shreds_every_account() -> None:
    run = iss_section("UninstallRun")
    assert re.search(r'Filename: "\{app\}\\\{#ExeName\}"; Parameters: "shred --all-users"; .*waituntilterminated', run)
    assert accepts("shred", "--help") and "--all-users" in app_cli("shred", "--help").stdout


def test_windows_signing_is_a_hook_that_skips_without_a_certificate() -> None:
    assert re.search(r"#ifdef Sign\n(;.*\n)?SignTool=floorsign\nSignedUninstaller=yes\n#endif", ISS)
    build_source = (ROOT / "build_scripts" / "build.py").read_text(encoding="utf-8")
    assert '"/DSign"' in build_source and "/Sfloorsign=" in build_source and "sign.ps1" in build_source
    sign = (PACKAGING / "windows" / "sign.ps1").read_text(encoding="utf-8")
    assert "$env:FLOOR_SIGN_CERT" in sign and "$env:FLOOR_SIGN_PASSWORD" in sign
    skip = re.search(r"if \(-not \$env:FLOOR_SIGN_CERT\) \{\n\s+Write-Host \"signing skipped: [^\n]*\n\s+exit 0", sign)
    assert skip, "without FLOOR_SIGN_CERT the hook says so and succeeds"
    if shutil.which("pwsh"):
        env = {k: v for k, v in os.environ.items() if not k.startswith("FLOOR_SIGN")}
        result = subprocess.run(["pwsh", "-NoProfile", "-File", str(PACKAGING / "windows" / "sign.ps1"), "x.exe"],
                                env=env, capture_output=True, text=True, timeout=120, check=False)
        assert result.returncode == 0 and "signing skipped" in result.stdout


# --------------------------------------------------------------------------- macOS


def test_macos_info_plist_has_what_is_needed_and_no_more() -> None:
    plist = bundle.info_plist_extra()
    assert plist["CFBundleIdentifier"] == bundle.BUNDLE_ID
    assert plist["CFBundleShortVersionString"] == __version__
    assert plist["LSMinimumSystemVersion"] == "13.0"  # Qt 6.11's oldest macOS
    assert [k for k in plist if k.startswith("NS") and k.endswith("UsageDescription")] == []  # no camera, no mic
    spec = (ROOT / "build_scripts" / "workstation.spec").read_text(encoding="utf-8")
    assert "info_plist=bundle.info_plist_extra()" in spec and "version=bundle.version()" in spec


def test_macos_entitlements_are_few_and_each_is_explained() -> None:
    path = PACKAGING / "macos" / "entitlements.plist"
    entitlements = plistlib.loads(path.read_bytes())
    assert entitlements == {"com.apple.security.cs.allow-unsigned-executable-memory": True}
    comment = path.read_text(encoding="utf-8")
    for key in entitlements:
        assert key.rsplit(".", 1)[-1] + ":" in comment, f"{key} is not explained"
    for refused in ("allow-jit", "disable-library-validation", "allow-dyld-environment-variables"):
        assert refused not in entitlements and refused in comment  # considered, and said why not


@pytest.mark.parametrize("hook,variable,said", [
    ("codesign.sh", "MACOS_SIGN_IDENTITY", "codesign skipped"),
    ("notarize.sh", "MACOS_NOTARY_PROFILE", "notarization skipped"),
])
def test_macos_hooks_skip_cleanly_without_credentials(tmp_path: Path, hook: str, variable: str, said: str) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MACOS_")}
    result = subprocess.run(["bash", str(PACKAGING / "macos" / hook), str(tmp_path / "Floor Workstation.app")],
                            env=env, capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0 and said in result.stdout and variable in result.stdout, result.stderr


def test_macos_dmg_script_signs_notarizes_and_names_the_image_as_build_py() -> None:
    script = (PACKAGING / "macos" / "make_dmg.sh").read_text(encoding="utf-8")
    assert 'bash "$here/codesign.sh" "$app"' in script and 'bash "$here/notarize.sh" "$dmg"' in script
    assert 'dmg="$out/FloorWorkstation-$version.dmg"' in script
    assert 'f"FloorWorkstation-{version}.dmg"' in (ROOT / "build_scripts" / "build.py").read_text(encoding="utf-8")
    assert "CFBundleShortVersionString" in script  # refuses an app built with another version
    codesign = (PACKAGING / "macos" / "codesign.sh").read_text(encoding="utf-8")
    assert "--options runtime" in codesign and "entitlements.plist" in codesign


# --------------------------------------------------------------------------- Linux: the hub service


def unit() -> dict[str, list[tuple[str, str]]]:
    """The unit file as sections of (key, value) pairs, repeated keys kept in order."""
    sections: dict[str, list[tuple[str, str]]] = {}
    current = ""
    for raw in UNIT_FILE.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("["):
            current = line.strip("[]")
            sections[current] = []
            continue
        key, _, value = line.partition("=")
        sections[current].append((key.strip(), value.strip()))
    return sections


def service(key: str) -> list[str]:
    return [v for k, v in unit()["Service"] if k == key]


def test_the_hub_unit_runs_real_hub_serve_flags_with_tls() -> None:
    from workstation.hub.cli import build_parser

    (exec_start,) = service("ExecStart")
    argv = shlex.split(exec_start)
    assert argv[0] == str(DEB_APP / bundle.EXE_NAME) and argv[1] == "hub"
    args = build_parser().parse_args(argv[2:])  # the hub's own parser: every flag is real
    assert args.command == "serve" and args.port == 8470
    assert args.data == "/var/lib/floor-hub" and args.data == f"/var/lib/{service('StateDirectory')[0]}"
    assert args.tls_cert == "/etc/floor-hub/hub.pem" and args.tls_key == "/etc/floor-hub/hub.key"
    assert "--tls-cert" in app_cli("hub", "serve", "--help").stdout


def test_the_hub_unit_is_its_own_user_and_hardened() -> None:
    assert service("User") == ["floor-hub"] and service("Group") == ["floor-hub"]
    postinst = (PACKAGING / "linux" / "postinst").read_text(encoding="utf-8")
    assert "adduser --system --group --home /var/lib/floor-hub --no-create-home --quiet floor-hub" in postinst
    assert "install -d -m 0750 -o root -g floor-hub /etc/floor-hub" in postinst
    assert service("StateDirectoryMode") == ["0700"] and service("UMask") == ["0077"]
    assert service("ReadWritePaths") == ["/var/lib/floor-hub"]
    for key, value in (("NoNewPrivileges", "yes"), ("ProtectSystem", "strict"), ("ProtectHome", "yes"),
                       ("PrivateTmp", "yes"), ("PrivateDevices", "yes"), ("CapabilityBoundingSet", ""),
                       ("RestrictSUIDSGID", "yes"), ("SystemCallArchitectures", "native")):
        assert service(key) == [value], key
    assert unit()["Install"] == [("WantedBy", "multi-user.target")]
    for said in ("floor-hub.service", "`floor-hub`", "/var/lib/floor-hub", "/etc/floor-hub/"):
        assert said in IT, said


def test_the_hub_unit_passes_systemd_analyze(tmp_path: Path) -> None:
    if not shutil.which("systemd-analyze"):
        pytest.skip("systemd-analyze is not installed")
    # the app is not installed here: the same unit with an executable that exists
    text = UNIT_FILE.read_text(encoding="utf-8").replace(str(DEB_APP / bundle.EXE_NAME), "/bin/true")
    (tmp_path / "floor-hub.service").write_text(text, encoding="utf-8")
    result = subprocess.run(["systemd-analyze", "verify", str(tmp_path / "floor-hub.service")], capture_output=True,
                            text=True, timeout=120, check=False)
    problems = [line for line in (result.stdout + result.stderr).splitlines() if "floor-hub.service" in line]
    assert result.returncode == 0 and problems == [], result.stdout + result.stderr


# --------------------------------------------------------------------------- Linux: the seat's .deb


def test_the_desktop_entry_starts_the_installed_app(tmp_path: Path) -> None:
    entry = (PACKAGING / "linux" / "floor-workstation.desktop").read_text(encoding="utf-8")
    fields = dict(line.split("=", 1) for line in entry.splitlines()[1:] if "=" in line)
    assert entry.startswith("[Desktop Entry]\n") and fields["Type"] == "Application" and fields["Name"]
    assert fields["Exec"] == fields["TryExec"] == str(DEB_APP / bundle.EXE_NAME)
    assert fields["Terminal"] == "false" and fields["Categories"].endswith(";")
    if shutil.which("desktop-file-validate"):
        result = subprocess.run(["desktop-file-validate", str(PACKAGING / "linux" / "floor-workstation.desktop")],
                                capture_output=True, text=True, timeout=60, check=False)
        assert result.returncode == 0 and result.stdout.strip() == "", result.stdout + result.stderr


def test_maintainer_scripts_check_the_policy_and_shred_on_removal(monkeypatch: pytest.MonkeyPatch) -> None:
    linux = policy_path_on("linux", monkeypatch)
    postinst = (PACKAGING / "linux" / "postinst").read_text(encoding="utf-8")
    assert f"APP={DEB_APP / bundle.EXE_NAME}" in postinst and f"POLICY={linux}" in postinst
    assert re.search(r'if ! "\$APP" policy check --path "\$POLICY"; then\n.*\n.*\n\s+exit 1', postinst)
    prerm = (PACKAGING / "linux" / "prerm").read_text(encoding="utf-8")
    shred = re.search(r'if \[ "\$1" = remove \]; then\n(.*?)\nfi', prerm, flags=re.DOTALL)
    assert shred and f"{DEB_APP / bundle.EXE_NAME} shred --all-users" in shred.group(1)  # not on upgrade
    postrm = (PACKAGING / "linux" / "postrm").read_text(encoding="utf-8")
    assert f"rm -f {linux} {linux.parent / 'floor-ca.pem'}" in postrm
    assert not re.search(r"^\s*rm .*floor-hub", postrm, flags=re.MULTILINE)  # a hub's data and key stay
    lay = (PACKAGING / "linux" / "lay-policy.sh").read_text(encoding="utf-8")
    assert f"ETC=${{FLOOR_WORKSTATION_ETC:-{linux.parent}}}" in lay and f"POLICY={linux.name}" in lay


def fake_app(folder: Path) -> Path:
    """A stand-in for the frozen folder: an executable and one resource."""
    app = folder / bundle.EXE_NAME
    (app / "_internal" / "resources").mkdir(parents=True)
    (app / "_internal" / "resources" / "policy.sample.toml").write_text("# sample\n", encoding="utf-8")
    exe = app / bundle.EXE_NAME
    exe.write_text("#!/bin/sh\necho stand-in\n", encoding="utf-8")
    exe.chmod(0o755)
    return app


def test_the_deb_builds_with_valid_fields_and_the_right_files(tmp_path: Path) -> None:
    if not shutil.which("dpkg-deb") or sys.platform != "linux":
        pytest.skip("dpkg-deb builds .deb files on Debian")
    deb = build.make_installer(fake_app(tmp_path / "dist"), tmp_path / "out")  # as build.py --installer does
    assert deb.is_file() and deb.name == f"{APP_NAME}_{bundle.deb_version()}_{build.deb_arch()}.deb"
    info = subprocess.run(["dpkg-deb", "-I", str(deb)], capture_output=True, text=True, check=True).stdout
    fields = dict(re.findall(r"^ ([A-Z][\w-]+): (.*)$", info, flags=re.MULTILINE))
    assert fields["Package"] == APP_NAME and fields["Version"] == bundle.deb_version()
    assert fields["Architecture"] == build.deb_arch() and fields["Installed-Size"].isdigit()
    assert fields["Maintainer"] and fields["Description"] and "adduser" in fields["Depends"]
    for script in ("postinst", "prerm", "postrm"):
        assert re.search(rf"^\s+\d+ bytes,\s+\d+ lines\s+\*\s+{script}\s", info, flags=re.MULTILINE), script
    listing = subprocess.run(["dpkg-deb", "-c", str(deb)], capture_output=True, text=True, check=True).stdout
    entries = {line.split()[5]: line for line in listing.splitlines()}
    assert all(line.split()[1] == "root/root" for line in entries.values())
    exe = f".{DEB_APP}/{bundle.EXE_NAME}"
    assert entries[exe].startswith("-rwxr-xr-x")
    assert f".{DEB_APP}/_internal/resources/policy.sample.toml" in entries
    assert entries["./usr/bin/floor-workstation"].rstrip().endswith(f"-> {DEB_APP}/{bundle.EXE_NAME}")
    assert entries["./usr/sbin/floor-workstation-policy"].startswith("-rwxr-xr-x")
    assert "./usr/share/applications/floor-workstation.desktop" in entries
    assert "./lib/systemd/system/floor-hub.service" in entries
    assert not any(name.startswith("./etc/") for name in entries)  # the policy is IT's, laid by the tools
    unpacked = tmp_path / "unpacked"
    subprocess.run(["dpkg-deb", "-R", str(deb), str(unpacked)], check=True)
    assert (unpacked / "lib/systemd/system/floor-hub.service").read_bytes() == UNIT_FILE.read_bytes()


# --------------------------------------------------------------------------- Linux: laying the policy


class Lay:
    """floor-workstation-policy run for real, into a folder of the test, checking with this source tree's app."""

    def __init__(self, folder: Path) -> None:
        self.app = folder / "app"
        self.app.write_text(f'#!/bin/sh\nPYTHONPATH="{ROOT}" exec "{sys.executable}" -m workstation "$@"\n',
                            encoding="utf-8")
        self.app.chmod(0o755)
        self.etc = folder / "etc" / "floor-workstation"

    def __call__(self, *args: str) -> subprocess.CompletedProcess[str]:
        env = dict(os.environ, FLOOR_WORKSTATION_ETC=str(self.etc), FLOOR_WORKSTATION_APP=str(self.app))
        return subprocess.run(["sh", str(PACKAGING / "linux" / "lay-policy.sh"), *args], env=env, capture_output=True,
                              text=True, timeout=120, check=False)

    def files(self) -> list[str]:
        return sorted(p.name for p in self.etc.iterdir())


def test_the_linux_policy_tool_lays_a_valid_policy_readable_by_all(tmp_path: Path) -> None:
    import trustme

    lay = Lay(tmp_path)
    ca = tmp_path / "given-ca.pem"
    trustme.CA().cert_pem.write_to_path(str(ca))
    result = lay("--hub-url", "https://hub.floor:8470", "--ca-file", str(ca))
    assert result.returncode == 0, result.stdout + result.stderr
    policy = load_policy(lay.etc / "policy.toml")
    assert policy.hub_url == "https://hub.floor:8470" and policy.hub_ca == lay.etc / "floor-ca.pem"
    assert set(tomllib.loads((lay.etc / "policy.toml").read_text(encoding="utf-8"))) <= set(POLICY_KEYS)
    for name in ("policy.toml", "floor-ca.pem"):
        assert stat.S_IMODE((lay.etc / name).stat().st_mode) == 0o644
    assert lay.files() == ["floor-ca.pem", "policy.toml"]


def test_the_linux_policy_tool_keeps_the_previous_policy_when_the_new_one_fails(tmp_path: Path) -> None:
    lay = Lay(tmp_path)
    assert lay("--hub-url", "http://127.0.0.1:8470").returncode == 0
    before = (lay.etc / "policy.toml").read_text(encoding="utf-8")
    failed = lay("--hub-url", "https://hub.floor:8470")  # https without the floor CA
    assert failed.returncode == 1 and "'hub_ca' is missing" in failed.stderr, failed.stderr
    assert (lay.etc / "policy.toml").read_text(encoding="utf-8") == before and lay.files() == ["policy.toml"]
    bad = lay("--hub-url", 'https://hub.floor:8470"\nkey_store = "memory')
    assert bad.returncode == 2 and (lay.etc / "policy.toml").read_text(encoding="utf-8") == before


# --------------------------------------------------------------------------- what the bundle leaves out


def test_the_bundle_drops_qt_ffmpeg_and_translations_but_keeps_qt_words_of_the_apps_languages(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bundle, "app_languages", lambda: ["ro"])
    for path in ("PySide6/Qt/plugins/multimedia/libffmpegmediaplugin.so", "PySide6/Qt/lib/libavcodec.so.61",
                 "PySide6/Qt/translations/qtbase_de.qm", "PySide6\\plugins\\multimedia\\ffmpegmediaplugin.dll",
                 "PySide6/Qt/plugins/platformthemes/libqgtk3.so"):
        assert bundle.dropped(path), path
    for path in ("PySide6/Qt/translations/qtbase_ro.qm", "PySide6/Qt/lib/libQt6Multimedia.so.6",
                 "PySide6/Qt/plugins/platforms/libqxcb.so", "av.libs/libavcodec-5e6b81c2.so.62", "resources/x"):
        assert not bundle.dropped(path), path
    assert bundle.dropped_entry(("libavcodec.so.61", "PySide6/Qt/lib/libavcodec.so.61", "SYMLINK"))
    excluded = bundle.excluded_modules()
    assert "PySide6.QtWebEngineCore" in excluded and not set(excluded) & {f"PySide6.{m}" for m in bundle.QT_MODULES_USED}


def test_the_build_fails_with_one_line_past_either_limit() -> None:
    mib = 1 << 20
    assert build.over_limits(build.Measure(490 * mib, 400), build.Measure(200 * mib, 1)) is None
    folder = build.over_limits(build.Measure(491 * mib, 400), None)
    archive = build.over_limits(build.Measure(480 * mib, 400), build.Measure(201 * mib, 1))
    assert folder and "folder is 491.0 MB, over its 490 MB limit" in folder and "\n" not in folder
    assert archive and "archive" not in folder and ".tar.gz is 201.0 MB, over its 200 MB limit" in archive


def workstation_imports() -> set[str]:
    import ast

    names: set[str] = set()
    for path in (ROOT / "workstation").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module)
    return names


def test_the_bundle_keeps_every_qt_module_and_package_the_app_imports() -> None:
    """A new ``from PySide6.QtSvg import …`` or ``import pandas`` in the app must reach bundle.py, or the frozen app
    breaks where the source runs."""
    imported = workstation_imports()
    qt = {name.split(".")[1] for name in imported if name.startswith("PySide6.")}
    assert qt <= set(bundle.QT_MODULES_USED), qt - set(bundle.QT_MODULES_USED)
    excluded = {name for name in imported for left_out in bundle.EXCLUDED_PYTHON
                if (name == left_out or name.startswith(left_out + "."))
                and name.split(".")[0] not in bundle.IMPORTED_ONLY_WHERE_PRESENT}
    assert excluded == set(), excluded
