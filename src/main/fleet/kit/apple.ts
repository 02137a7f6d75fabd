/**
 * macOS and iOS: `root.mobileconfig` (a configuration profile with one `com.apple.security.root` payload, unsigned)
 * and `verify-macos.sh` (exit 0 only when macOS trusts the root; writes a report).
 */
import { verifyHead } from './shell'
import { base64Der, kitUuid, type KitRoot } from './root'

const xml = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

/** The DER as plist `<data>`: base64 in 52-column lines, as Apple's tools write it. */
function dataLines(root: KitRoot, indent: string): string[] {
  return (base64Der(root).match(/.{1,52}/g) ?? []).map((l) => `${indent}${l}`)
}

export function mobileconfig(root: KitRoot): string {
  const id = `com.certdesk.fleet.${root.sha256.slice(0, 16)}`
  const entry = (key: string, value: string, indent: string) => [`${indent}<key>${key}</key>`, `${indent}${value}`]
  const string = (text: string) => `<string>${xml(text)}</string>`
  const inner = '\t\t\t'
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<!-- root.mobileconfig (Certdesk fleet kit) for the root "${xml(root.name).replace(/--/g, '- -')}", SHA-256 ${root.cloudflareSha256}.`,
    '     Where it goes: upload to your MDM (Jamf, Intune, Kandji…) as a custom configuration profile, or open it on a Mac',
    '     (System Settings > Privacy & Security > Profiles) or an iPhone (then Settings > General > About > Certificate',
    '     Trust Settings). Unsigned: sign it with `security cms -S` (see README.txt) if your MDM or users need a signed one.',
    '     Made by Certdesk; the same root always gives the same file, with the same payload UUIDs. -->',
    '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">',
    '<plist version="1.0">',
    '<dict>',
    '\t<key>PayloadContent</key>',
    '\t<array>',
    '\t\t<dict>',
    ...entry('PayloadCertificateFileName', string(`${root.fileBase}.cer`), inner),
    `${inner}<key>PayloadContent</key>`,
    `${inner}<data>`,
    ...dataLines(root, inner),
    `${inner}</data>`,
    ...entry('PayloadDescription', string('Adds a CA root certificate'), inner),
    ...entry('PayloadDisplayName', string(root.name), inner),
    ...entry('PayloadIdentifier', string(`com.apple.security.root.${kitUuid(root, 'root-payload')}`), inner),
    ...entry('PayloadType', string('com.apple.security.root'), inner),
    ...entry('PayloadUUID', string(kitUuid(root, 'root-payload')), inner),
    ...entry('PayloadVersion', '<integer>1</integer>', inner),
    '\t\t</dict>',
    '\t</array>',
    ...entry('PayloadDescription', string(`Trusts the root certificate "${root.name}" (SHA-256 ${root.cloudflareSha256}).`), '\t'),
    ...entry('PayloadDisplayName', string(`Root certificate: ${root.name}`), '\t'),
    ...entry('PayloadIdentifier', string(id), '\t'),
    ...entry('PayloadRemovalDisallowed', '<false/>', '\t'),
    ...entry('PayloadType', string('Configuration'), '\t'),
    ...entry('PayloadUUID', string(kitUuid(root, 'profile')), '\t'),
    ...entry('PayloadVersion', '<integer>1</integer>', '\t'),
    '</dict>',
    '</plist>',
    '',
  ].join('\n')
}

export function verifyMacos(root: KitRoot): string {
  const sha = root.sha256.toUpperCase()
  return [
    ...verifyHead(
      root,
      { os: 'macos', osVersion: '$(sw_vers -productVersion 2>/dev/null)' },
      [
        'Checks that macOS trusts the root (the System or login keychain holds it and `security verify-cert` accepts it)',
        'and writes a certdesk-trust-report/1 JSON file (--report FILE; default ./certdesk-report-HOST-SHA256PREFIX.json).',
        'Exit 0 only when trusted, 1 when not, 2 bad usage.',
      ],
      ['run on each Mac, any user (Jamf extension attribute or policy script, Intune shell script); collect the reports.'],
    ),
    'work=$(mktemp -d) || exit 1',
    'trap \'rm -rf -- "$work"\' EXIT',
    'write_pem > "$work/root.pem"',
    '# Trust as macOS evaluates it: the root alone, as a CA, local checks only.',
    'if security verify-cert -c "$work/root.pem" -l -L -p basic >/dev/null 2>&1; then evaluated=yes; else evaluated=no; fi',
    'keychain_status() {',
    `  if ! security find-certificate -a -Z "$1" 2>/dev/null | grep -q "SHA-256 hash: ${sha}"; then echo missing`,
    '  elif [ "$evaluated" = yes ]; then echo trusted',
    '  else echo present-not-trusted',
    '  fi',
    '}',
    'system=$(keychain_status /Library/Keychains/System.keychain)',
    'login=$(keychain_status "$HOME/Library/Keychains/login.keychain-db")',
    'detail_for() {',
    '  case "$1" in',
    '    trusted) echo "Holds the root, and macOS trusts it." ;;',
    '    present-not-trusted) echo "Holds the root, but its trust settings do not make it a trusted root." ;;',
    '    *) echo "Does not hold the root." ;;',
    '  esac',
    '}',
    'stores="$(store_json system "System keychain" "$system" "$(detail_for "$system")")"',
    'stores="$stores, $(store_json login-keychain "login keychain" "$login" "$(detail_for "$login")")"',
    'if [ "$evaluated" = yes ]; then verdict=trusted',
    'elif [ "$system" != missing ] || [ "$login" != missing ]; then verdict=partly',
    'else verdict=not-trusted',
    'fi',
    'if write_report "$report" "$verdict" "$stores"; then echo "Report: $report"',
    'else echo "verify-macos.sh: could not write $report." >&2',
    'fi',
    'echo "$verdict: $SUBJECT (System keychain: $system; login keychain: $login)"',
    '[ "$verdict" = trusted ] && exit 0',
    'exit 1',
    '',
  ].join('\n')
}
