# Code-signing hook for the Windows build: sign.ps1 FILE
# Inno Setup calls it (SignTool "floorsign") for floor-workstation.exe, FloorWorkstation.exe, the setup and its
# uninstaller. It signs with the certificate in the environment, or says it skipped and succeeds:
#   FLOOR_SIGN_CERT           path of the code-signing certificate (.pfx); unset = no signing
#   FLOOR_SIGN_PASSWORD       its password
#   FLOOR_SIGN_TIMESTAMP_URL  the RFC 3161 time-stamp server of the certificate's issuer (recommended)
#   FLOOR_SIGNTOOL            signtool.exe, when it is not on PATH or in the Windows SDK
param([Parameter(Mandatory = $true)][string]$File)
$ErrorActionPreference = 'Stop'

if (-not $env:FLOOR_SIGN_CERT) {
    Write-Host "signing skipped: FLOOR_SIGN_CERT is not set; $File stays unsigned"
    exit 0
}
if (-not (Test-Path -LiteralPath $env:FLOOR_SIGN_CERT)) {
    Write-Error "FLOOR_SIGN_CERT names no file: $($env:FLOOR_SIGN_CERT)"
    exit 1
}
$signtool = $env:FLOOR_SIGNTOOL
if (-not $signtool) {
    $found = Get-Command signtool.exe -ErrorAction SilentlyContinue
    if ($found) { $signtool = $found.Source }
}
if (-not $signtool) {
    $kits = Join-Path ${env:ProgramFiles(x86)} 'Windows Kits\10\bin'
    $signtool = Get-ChildItem -Path $kits -Recurse -Filter signtool.exe -ErrorAction SilentlyContinue |
        Where-Object { $_.FullName -match '\\x64\\' } | Sort-Object FullName -Descending |
        Select-Object -First 1 -ExpandProperty FullName
}
if (-not $signtool) {
    Write-Error 'signtool.exe not found: install the Windows SDK or set FLOOR_SIGNTOOL'
    exit 1
}

$arguments = @('sign', '/fd', 'SHA256', '/f', $env:FLOOR_SIGN_CERT)
if ($env:FLOOR_SIGN_PASSWORD) { $arguments += @('/p', $env:FLOOR_SIGN_PASSWORD) }
if ($env:FLOOR_SIGN_TIMESTAMP_URL) {
    $arguments += @('/tr', $env:FLOOR_SIGN_TIMESTAMP_URL, '/td', 'SHA256')
} else {
    Write-Warning 'FLOOR_SIGN_TIMESTAMP_URL is not set: the signature stops being valid when the certificate expires'
}
& $signtool @arguments $File
if ($LASTEXITCODE -ne 0) {
    Write-Error "signtool failed on $File (exit code $LASTEXITCODE)"
    exit 1
}
Write-Host "signed: $File"
