; Inno Setup 6 script of the floor workstation: a per-machine install of the frozen one-folder app.
; Built by `python build_scripts/build.py --installer` on Windows, which passes the one version and the app folder:
;   iscc /DAppVersion=X.Y.Z /DAppSource=dist\floor-workstation /Sfloorsign="..." /DSign packaging\windows\floor-workstation.iss
;
; Silent install that lays the machine policy (docs/IT.md "Install a seat"):
;   FloorWorkstation-X.Y.Z-setup.exe /VERYSILENT /HUBURL=https://hub.floor:8470 /CAFILE=\\it\floor-ca.pem
; writes %ProgramData%\FloorWorkstation\policy.toml (hub_url, hub_ca) and floor-ca.pem beside it, read-only for
; users, then runs `floor-workstation.exe policy check --path` on it. A policy that does not pass is taken back
; (the previous one, if any, stays), the reasons go to the setup log (/LOG=FILE) and Setup exits with code 2.
; Without /HUBURL the policy already on the PC is kept and checked; an interactive install asks for both.
; Uninstall runs `floor-workstation.exe shred --all-users` first (every shift key and clip cache) and keeps the policy.

#ifndef AppVersion
  #error Pass the version: iscc /DAppVersion=X.Y.Z (build_scripts/build.py passes workstation.__version__)
#endif
#ifndef AppVersionInfo
  #define AppVersionInfo AppVersion
#endif
#ifndef AppSource
  #define AppSource "..\..\dist\floor-workstation"
#endif
#define AppName "Floor Workstation"
#define ExeName "floor-workstation.exe"
#define WindowedExeName "FloorWorkstation.exe"
#define PolicyFolder "FloorWorkstation"
#define PolicyFile "policy.toml"
#define CaFile "floor-ca.pem"
#ifdef Sign
  #define SignFlag " signonce"
#else
  #define SignFlag ""
#endif

[Setup]
AppId={{6C0F3E2A-5B9D-4E71-9A0C-2F6D8B1E4C37}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
VersionInfoVersion={#AppVersionInfo}
AppPublisher=Floor workstation team
DefaultDirName={autopf}\{#AppName}
DisableDirPage=auto
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
; Per machine: Program Files, the policy in ProgramData, the shred of every account on uninstall.
PrivilegesRequired=admin
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputBaseFilename=FloorWorkstation-{#AppVersion}-setup
Compression=lzma2/max
SolidCompression=yes
UninstallDisplayIcon={app}\{#WindowedExeName}
UninstallDisplayName={#AppName} {#AppVersion}
CloseApplications=yes
SetupLogging=yes
#ifdef Sign
; The hook (packaging\windows\sign.ps1) signs when FLOOR_SIGN_CERT is set and says it skipped when not.
SignTool=floorsign
SignedUninstaller=yes
#endif

[Files]
Source: "{#AppSource}\{#ExeName}"; DestDir: "{app}"; Flags: ignoreversion{#SignFlag}
Source: "{#AppSource}\{#WindowedExeName}"; DestDir: "{app}"; Flags: ignoreversion{#SignFlag}
Source: "{#AppSource}\*"; Excludes: "\{#ExeName},\{#WindowedExeName}"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Dirs]
; The policy folder outlives an uninstall (IT's file); its ACL is set in code below (read-only for users).
Name: "{commonappdata}\{#PolicyFolder}"; Flags: uninsneveruninstall

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#WindowedExeName}"; WorkingDir: "{app}"; Comment: "Label clips for the floor hub"

[UninstallRun]
; No readable clip outlives the app: every shift key and clip cache of every account on this PC (docs/IT.md).
Filename: "{app}\{#ExeName}"; Parameters: "shred --all-users"; Flags: runhidden waituntilterminated; RunOnceId: "ShredAllUsers"

[Code]
const
  PolicyInvalidExitCode = 2;

var
  HubUrl, CaSource: String;
  PolicyFailed: Boolean;
  PolicyPage: TInputQueryWizardPage;
  CaPage: TInputFileWizardPage;

function PolicyDir: String;
begin
  { {commonappdata} is FOLDERID_ProgramData asked of the shell, the same place workstation/policy.py reads. }
  Result := ExpandConstant('{commonappdata}\{#PolicyFolder}');
end;

function PolicyPath: String;
begin
  Result := PolicyDir + '\{#PolicyFile}';
end;

function UrlIsPlain(const Url: String): Boolean;
var
  I: Integer;
  C: Char;
begin
  { Nothing that would need escaping in a TOML string: no quote, backslash, space or control character. }
  Result := Length(Url) > 0;
  for I := 1 to Length(Url) do begin
    C := Url[I];
    if (Ord(C) <= 32) or (C = '"') or (C = '\') or (Ord(C) >= 127) then
      Result := False;
  end;
end;

function InitializeSetup: Boolean;
begin
  HubUrl := ExpandConstant('{param:HUBURL|}');
  CaSource := ExpandConstant('{param:CAFILE|}');
  Result := True;
  if (HubUrl <> '') and not UrlIsPlain(HubUrl) then begin
    SuppressibleMsgBox('/HUBURL= holds a character a hub address does not (a quote, backslash or space): ' + HubUrl,
      mbCriticalError, MB_OK, IDOK);
    Result := False;
  end;
  if (CaSource <> '') and not FileExists(CaSource) then begin
    SuppressibleMsgBox('/CAFILE= names no readable file: ' + CaSource, mbCriticalError, MB_OK, IDOK);
    Result := False;
  end;
end;

procedure InitializeWizard;
begin
  { Interactive installs on a PC without a policy ask for the two values the silent install takes as parameters. }
  PolicyPage := CreateInputQueryPage(wpSelectDir, 'Floor hub', 'Where is the floor hub?',
    'The machine policy (' + PolicyPath + ') tells the app its hub. Leave empty to lay the policy later.');
  PolicyPage.Add('Hub address (https://HOST:8470):', False);
  PolicyPage.Values[0] := HubUrl;
  CaPage := CreateInputFilePage(PolicyPage.ID, 'Floor CA', 'The floor CA''s certificate',
    'The only certificate authority the app trusts for the hub (a PEM file).');
  CaPage.Add('Floor CA certificate (PEM):', 'Certificates (*.pem;*.crt)|*.pem;*.crt|All files|*.*', '.pem');
  CaPage.Values[0] := CaSource;
end;

function ShouldSkipPage(PageID: Integer): Boolean;
begin
  Result := False;
  if (PageID = PolicyPage.ID) or (PageID = CaPage.ID) then
    Result := (HubUrl <> '') or FileExists(PolicyPath);
end;

function NextButtonClick(CurPageID: Integer): Boolean;
begin
  Result := True;
  if CurPageID = PolicyPage.ID then begin
    HubUrl := Trim(PolicyPage.Values[0]);
    if (HubUrl <> '') and not UrlIsPlain(HubUrl) then begin
      MsgBox('The hub address holds a quote, backslash or space.', mbError, MB_OK);
      Result := False;
    end;
  end;
  if CurPageID = CaPage.ID then
    CaSource := Trim(CaPage.Values[0]);
end;

procedure Icacls(const Params: String);
var
  Code: Integer;
begin
  Exec(ExpandConstant('{sys}\icacls.exe'), Params, '', SW_HIDE, ewWaitUntilTerminated, Code);
  if Code <> 0 then
    Log('icacls ' + Params + ' failed (exit code ' + IntToStr(Code) + ')');
end;

procedure LockPolicyFolder;
begin
  { Only SYSTEM and Administrators may change the policy; Users (S-1-5-32-545) read it. SIDs, not names: any
    language. 1. Administrators own the folder and whatever is in it (a user who made the folder or a file in it
    before the install would otherwise keep an owner's right to change its ACL). 2. /inheritance:r drops what
    ProgramData passes down (Users: create files; CREATOR OWNER: full control) and /grant:r sets the three grants.
    3. Every file in it takes the folder's grants. }
  Icacls('"' + PolicyDir + '" /setowner *S-1-5-32-544 /T /C /Q');
  Icacls('"' + PolicyDir + '" /inheritance:r /grant:r *S-1-5-18:(OI)(CI)F *S-1-5-32-544:(OI)(CI)F *S-1-5-32-545:(OI)(CI)RX /Q');
  Icacls('"' + PolicyDir + '\*" /reset /T /C /Q');
end;

procedure Keep(const Name: String);
begin
  DeleteFile(PolicyDir + '\' + Name + '.previous');
  if FileExists(PolicyDir + '\' + Name) then
    FileCopy(PolicyDir + '\' + Name, PolicyDir + '\' + Name + '.previous', False);
end;

procedure Restore(const Name: String);
begin
  DeleteFile(PolicyDir + '\' + Name);
  if FileExists(PolicyDir + '\' + Name + '.previous') then
    RenameFile(PolicyDir + '\' + Name + '.previous', PolicyDir + '\' + Name);
end;

function WritePolicy: Boolean;
var
  Text: String;
begin
  Text := '# Floor workstation machine policy, laid by the installer. Every key: docs/IT.md.' + #13#10 +
    'hub_url = "' + HubUrl + '"' + #13#10;
  if CaSource <> '' then
    Text := Text + 'hub_ca = "{#CaFile}"   # next to this file' + #13#10;
  Result := True;
  if CaSource <> '' then
    Result := FileCopy(CaSource, PolicyDir + '\{#CaFile}', False);
  Result := Result and SaveStringToFile(PolicyPath, Text, False);
end;

function CheckPolicy: Boolean;
var
  Code: Integer;
  Output: String;
  Report: AnsiString;
begin
  { The app's own check, as at start: every mistake on its own line, exit 0 only for a valid policy. }
  Output := ExpandConstant('{tmp}\policy-check.txt');
  Exec(ExpandConstant('{cmd}'), '/C ""' + ExpandConstant('{app}\{#ExeName}') + '" policy check --path "' +
    PolicyPath + '" > "' + Output + '" 2>&1"', '', SW_HIDE, ewWaitUntilTerminated, Code);
  if LoadStringFromFile(Output, Report) then
    Log('policy check: ' + String(Report));
  Result := Code = 0;
  if not Result then
    SuppressibleMsgBox('The machine policy is not valid, so it was not laid:' + #13#10 + String(Report),
      mbCriticalError, MB_OK, IDOK);
end;

procedure CurStepChanged(CurStep: TSetupStep);
begin
  if CurStep <> ssPostInstall then
    Exit;
  ForceDirectories(PolicyDir);
  LockPolicyFolder;
  if HubUrl <> '' then begin
    Keep('{#PolicyFile}');
    Keep('{#CaFile}');
    if not WritePolicy or not CheckPolicy then begin
      Restore('{#PolicyFile}');
      Restore('{#CaFile}');
      PolicyFailed := True;
    end else begin
      DeleteFile(PolicyPath + '.previous');
      DeleteFile(PolicyDir + '\{#CaFile}.previous');
    end;
    LockPolicyFolder;  { the new files take the folder's grants }
  end else if FileExists(PolicyPath) then
    PolicyFailed := not CheckPolicy
  else
    Log('No machine policy at ' + PolicyPath + ' and no /HUBURL=: the app refuses to start until IT lays one.');
end;

function GetCustomSetupExitCode: Integer;
begin
  Result := 0;
  if PolicyFailed then
    Result := PolicyInvalidExitCode;
end;
