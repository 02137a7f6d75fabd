/**
 * Windows: `install-windows.ps1`, `verify-windows.ps1` and `uninstall-windows.ps1` for Cert:\LocalMachine\Root, by
 * thumbprint, idempotent, with the exit codes Intune's detection rules read (verify: 0 and a line on stdout when
 * present, 1 when absent). The root is embedded, so each script is one self-contained file.
 */
import { base64Der, psQuote, type KitRoot } from './root'

export const WINDOWS_STORE = 'Cert:\\LocalMachine\\Root'

function head(root: KitRoot, file: string, purpose: string[], where: string): string[] {
  return [
    `# ${file} (Certdesk fleet kit) for the root "${root.name}"`,
    `# SHA-256 ${root.cloudflareSha256}; Windows thumbprint (SHA-1) ${root.thumbprint}`,
    ...purpose.map((l) => `# ${l}`),
    `# Where it goes: ${where}`,
    '# Made by Certdesk; the same root always gives the same file.',
  ]
}

const facts = (root: KitRoot): string[] => [
  "$ErrorActionPreference = 'Stop'",
  `$Thumbprint = ${psQuote(root.thumbprint)}`,
  `$Sha256 = ${psQuote(root.sha256)}`,
  `$Subject = ${psQuote(root.subject)}`,
  `$Store = ${psQuote(WINDOWS_STORE)}`,
  'function Get-KitRoot { @(Get-ChildItem -Path $Store | Where-Object { $_.Thumbprint -eq $Thumbprint }) }',
]

export function installWindows(root: KitRoot): string {
  return [
    ...head(
      root,
      'install-windows.ps1',
      [
        "Imports the root into the machine's Trusted Root Certification Authorities. Idempotent.",
        'Exit 0 installed (or already there), 1 failed.',
      ],
      'run as administrator or SYSTEM (Intune Win32 app or platform script: powershell -ExecutionPolicy Bypass -File install-windows.ps1).',
    ),
    ...facts(root),
    'if ((Get-KitRoot).Count -gt 0) {',
    '  Write-Output "Already installed in $Store ($Subject); nothing changed."',
    '  exit 0',
    '}',
    `$Der = [Convert]::FromBase64String(${psQuote(base64Der(root))})`,
    '$File = Join-Path ([IO.Path]::GetTempPath()) "certdesk-$Thumbprint.cer"',
    'try {',
    '  [IO.File]::WriteAllBytes($File, $Der)',
    '  Import-Certificate -FilePath $File -CertStoreLocation Cert:\\LocalMachine\\Root | Out-Null',
    '} catch {',
    '  Write-Error "Could not import the root into ${Store}: $($_.Exception.Message) (run as administrator)."',
    '  exit 1',
    '} finally {',
    '  Remove-Item -Path $File -Force -ErrorAction SilentlyContinue',
    '}',
    'if ((Get-KitRoot).Count -gt 0) {',
    '  Write-Output "Installed in $Store ($Subject)."',
    '  exit 0',
    '}',
    'Write-Error "Import-Certificate returned, but $Store does not hold thumbprint $Thumbprint."',
    'exit 1',
    '',
  ].join('\r\n')
}

export function verifyWindows(root: KitRoot): string {
  return [
    ...head(
      root,
      'verify-windows.ps1',
      [
        'Intune detection: exit 0 with a line on stdout when the root is in Cert:\\LocalMachine\\Root, exit 1 when not.',
        'Writes a certdesk-trust-report/1 JSON file',
        '(-Report FILE; default %ProgramData%\\Certdesk\\certdesk-report-HOST-SHA256PREFIX.json).',
      ],
      'the detection script of the Intune Win32 app (or a compliance/remediation script), any account that can read the store.',
    ),
    "param([string]$Report = '')",
    ...facts(root),
    '$Found = Get-KitRoot',
    'if ($Found.Count -gt 0) {',
    "  $Status = 'trusted'",
    '  $Detail = "In $Store."',
    '} else {',
    "  $Status = 'missing'",
    '  $Detail = "Not in ${Store}: run install-windows.ps1 as administrator."',
    '}',
    'try {',
    '  $OsVersion = (Get-CimInstance -ClassName Win32_OperatingSystem).Caption',
    '} catch {',
    '  $OsVersion = [Environment]::OSVersion.VersionString',
    '}',
    '$Doc = [ordered]@{',
    "  schema = 'certdesk-trust-report/1'",
    "  generatedAt = (Get-Date).ToUniversalTime().ToString(\"yyyy-MM-dd'T'HH:mm:ss'Z'\")",
    `  generator = [ordered]@{ name = 'certdesk-kit/verify-windows.ps1'; version = ${psQuote(root.version)} }`,
    '  machine = [ordered]@{ name = $env:COMPUTERNAME; os = \'windows\'; osVersion = "$OsVersion" }',
    '  root = [ordered]@{ sha256 = $Sha256; subject = $Subject }',
    "  verdict = $(if ($Status -eq 'trusted') { 'trusted' } else { 'not-trusted' })",
    '  stores = @([ordered]@{',
    "    id = 'LocalMachine\\Root'; name = 'Trusted Root Certification Authorities (machine)'; status = $Status; detail = $Detail",
    '  })',
    '  runtimes = @()',
    '  handshake = $null',
    '}',
    'if (-not $Report) {',
    '  $Report = Join-Path $env:ProgramData "Certdesk\\certdesk-report-$env:COMPUTERNAME-$($Sha256.Substring(0, 16)).json"',
    '}',
    'try {',
    '  New-Item -ItemType Directory -Force -Path (Split-Path -Parent $Report) | Out-Null',
    '  $Json = ConvertTo-Json -InputObject $Doc -Depth 6',
    '  [IO.File]::WriteAllText($Report, $Json, (New-Object System.Text.UTF8Encoding $false))',
    '} catch {',
    '  [Console]::Error.WriteLine("Could not write the report to ${Report}: $($_.Exception.Message)")',
    '}',
    "if ($Status -eq 'trusted') {",
    '  Write-Output "Detected: $Subject is in $Store."',
    '  exit 0',
    '}',
    'exit 1',
    '',
  ].join('\r\n')
}

export function uninstallWindows(root: KitRoot): string {
  return [
    ...head(
      root,
      'uninstall-windows.ps1',
      [
        "Removes the root (by thumbprint) from the machine's Trusted Root Certification Authorities. Idempotent.",
        'Exit 0 removed (or absent), 1 failed.',
      ],
      'the uninstall command of the Intune Win32 app, run as administrator or SYSTEM.',
    ),
    ...facts(root),
    '$Found = Get-KitRoot',
    'if ($Found.Count -eq 0) {',
    '  Write-Output "Not in $Store; nothing changed."',
    '  exit 0',
    '}',
    'try {',
    '  $Found | Remove-Item -Force',
    '} catch {',
    '  Write-Error "Could not remove the root from ${Store}: $($_.Exception.Message) (run as administrator)."',
    '  exit 1',
    '}',
    'if ((Get-KitRoot).Count -gt 0) {',
    '  Write-Error "$Store still holds thumbprint $Thumbprint."',
    '  exit 1',
    '}',
    'Write-Output "Removed $Subject from $Store."',
    'exit 0',
    '',
  ].join('\r\n')
}
