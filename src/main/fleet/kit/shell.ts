/**
 * Shell pieces the kit's POSIX scripts share: the embedded root, the Linux family chosen at run time from os-release
 * (the same ID table and layouts as the app's Linux trust store), the bundle check, and the report writer.
 */
import { debianRefreshForSysroot } from '../../truststore/linux'
import { FAMILY_LAYOUTS, ID_FAMILY, type LinuxFamily } from '../../truststore/linux-distro'
import { base64Der, shQuote, type KitRoot } from './root'

/** The lines that start every script: shebang, what it does and where it goes, strict mode, the root's facts. */
export function scriptHead(root: KitRoot, file: string, purpose: string[], where: string[]): string[] {
  return [
    '#!/bin/sh',
    `# ${file} (Certdesk fleet kit) for the root "${root.name}"`,
    `# SHA-256 ${root.cloudflareSha256}`,
    ...purpose.map((l) => `# ${l}`),
    ...where.map((l) => `# Where it goes: ${l}`),
    '# Made by Certdesk; the same root always gives the same file.',
    'set -u',
    'PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"',
    'ROOT="${CERTDESK_KIT_ROOT:-}"',
    `NAME=${shQuote(root.fileBase)}`,
    `SHA256=${shQuote(root.sha256)}`,
    `SUBJECT=${shQuote(root.subject)}`,
    `DER_BASE64=${shQuote(base64Der(root))}`,
    '',
    '# The root certificate (PEM), written where a step needs a file.',
    'write_pem() {',
    "  cat <<'CERTDESK_ROOT_PEM'",
    root.pem.trimEnd(),
    'CERTDESK_ROOT_PEM',
    '}',
    '',
  ]
}

const FAMILIES = Object.keys(FAMILY_LAYOUTS) as LinuxFamily[]

/** `case` patterns of the os-release IDs of each family (ID, then ID_LIKE). */
function idPatterns(family: LinuxFamily): string {
  const ids = Object.entries(ID_FAMILY)
    .filter(([, f]) => f === family)
    .map(([id]) => id)
  return [...ids, ...(family === 'suse' ? ['opensuse*'] : [])].join('|')
}

/**
 * Sets `family`, `anchors`, `ext`, `bundle` and `refresh_cmd` for this machine, or leaves `family` empty. os-release
 * decides (a folder merely existing is not evidence); without a match, the refresh tool does.
 */
export function familyBlock(): string[] {
  const layout = (f: LinuxFamily) => FAMILY_LAYOUTS[f]
  return [
    'os_release="$ROOT/etc/os-release"',
    '[ -r "$os_release" ] || os_release="$ROOT/usr/lib/os-release"',
    'os_value() {',
    `  [ -r "$os_release" ] && sed -n "s/^$1=//p" "$os_release" | head -n 1 | sed -e 's/^["'"'"']//' -e 's/["'"'"']$//'`,
    '}',
    'family=""',
    'for id in $(os_value ID | tr "A-Z" "a-z") $(os_value ID_LIKE | tr "A-Z" "a-z"); do',
    '  case "$id" in',
    ...FAMILIES.map((f) => `    ${idPatterns(f)}) family=${f} ;;`),
    '  esac',
    '  [ -n "$family" ] && break',
    'done',
    'if [ -z "$family" ]; then',
    "  # No os-release match: the refresh tool decides (update-ca-trust is RHEL's alone; `trust` is on Debian too).",
    `  if command -v ${layout('rhel').tool} >/dev/null 2>&1; then family=rhel`,
    `  elif command -v ${layout('debian').tool} >/dev/null 2>&1; then family=debian`,
    `  elif command -v ${layout('arch').tool} >/dev/null 2>&1; then family=arch`,
    '  fi',
    'fi',
    'case "$family" in',
    ...FAMILIES.map((f) => {
      const l = layout(f)
      const refresh = [l.tool, ...l.refreshArgs].join(' ')
      const paths = `anchors=${l.anchorsDir}; ext=${l.extension}; bundle=${l.bundle}`
      return `  ${f}) label=${shQuote(l.label)}; ${paths}; refresh_cmd=${shQuote(refresh)} ;;`
    }),
    'esac',
    'anchor="$ROOT${anchors:-}/$NAME${ext:-}"',
    '',
    '# Whether the system bundle holds the root (compared as base64 with line breaks removed).',
    'in_bundle() {',
    '  [ -r "$ROOT$bundle" ] || return 1',
    '  tr -d "\\r\\n" < "$ROOT$bundle" | grep -F -q -- "-----BEGIN CERTIFICATE-----$DER_BASE64-----END CERTIFICATE-----"',
    '}',
    '',
  ]
}

/** Rebuilds the system bundle; under CERTDESK_KIT_ROOT Debian's tool is pointed inside the tree, others are skipped. */
export function refreshBlock(): string[] {
  const debian = debianRefreshForSysroot(FAMILY_LAYOUTS.debian.tool, '$ROOT')
  return [
    'refresh() {',
    '  if [ -z "$ROOT" ]; then',
    '    $refresh_cmd',
    '  elif [ "$family" = debian ]; then',
    `    ${debian.file} ${debian.args.map((a) => (a.startsWith('$ROOT') ? `"${a}"` : a)).join(' ')}`,
    '  else',
    '    echo "note: CERTDESK_KIT_ROOT is set; $refresh_cmd cannot work inside it, so the bundle was not rebuilt." >&2',
    '  fi',
    '}',
    '',
  ]
}

/** `json_str TEXT`: TEXT as a JSON string (quotes and backslashes escaped, control characters dropped). */
export const JSON_STR = [
  'json_str() {',
  `  printf '"%s"' "$(printf '%s' "$1" | tr -d '\\000-\\037' | sed -e 's/\\\\/\\\\\\\\/g' -e 's/"/\\\\"/g')"`,
  '}',
]

export interface ReportShell {
  /** The generator name, e.g. `certdesk-kit/verify-linux.sh`. */
  generator: string
  os: 'linux' | 'macos'
  /** Shell expression of the OS version words. */
  osVersion: string
}

/**
 * `write_report FILE VERDICT STORES_JSON`: a `certdesk-trust-report/1` file (see the README's report schema). The
 * stores come as JSON text built with `store_json`.
 */
export function reportBlock(root: KitRoot, r: ReportShell): string[] {
  return [
    ...JSON_STR,
    'store_json() {',
    '  printf \'{ "id": %s, "name": %s, "status": %s, "detail": %s }\' \\',
    '    "$(json_str "$1")" "$(json_str "$2")" "$(json_str "$3")" "$(json_str "$4")"',
    '}',
    'host_name() { hostname 2>/dev/null || uname -n; }',
    'write_report() {',
    '  {',
    '    printf \'{\\n  "schema": "certdesk-trust-report/1",\\n\'',
    '    printf \'  "generatedAt": "%s",\\n\' "$(date -u +%Y-%m-%dT%H:%M:%SZ)"',
    `    printf '  "generator": { "name": "${r.generator}", "version": %s },\\n' "$(json_str ${shQuote(root.version)})"`,
    `    printf '  "machine": { "name": %s, "os": "${r.os}", "osVersion": %s },\\n' \\`,
    `      "$(json_str "$(host_name)")" "$(json_str "${r.osVersion}")"`,
    '    printf \'  "root": { "sha256": "%s", "subject": %s },\\n\' "$SHA256" "$(json_str "$SUBJECT")"',
    '    printf \'  "verdict": "%s",\\n\' "$2"',
    '    printf \'  "stores": [ %s ],\\n\' "$3"',
    '    printf \'  "runtimes": [],\\n  "handshake": null\\n}\\n\'',
    '  } > "$1"',
    '}',
    'default_report() {',
    '  printf \'%s/certdesk-report-%s-%s.json\' "${CERTDESK_REPORT_DIR:-.}" \\',
    '    "$(host_name | tr -c "A-Za-z0-9._-" "-")" "$(printf %.16s "$SHA256")"',
    '}',
    '',
  ]
}

/** Parses `--report FILE` (the verify scripts' only option); exits 2 on anything else. */
export function reportArgs(file: string): string[] {
  return [
    'report=""',
    'while [ $# -gt 0 ]; do',
    '  case "$1" in',
    `    --report) [ $# -ge 2 ] || { echo "${file}: --report needs a file name" >&2; exit 2; }; report=$2; shift 2 ;;`,
    '    --report=*) report=${1#--report=}; shift ;;',
    `    -h|--help) echo "usage: sh ${file} [--report FILE]"; exit 0 ;;`,
    `    *) echo "${file}: unknown argument \\"$1\\" (usage: sh ${file} [--report FILE])" >&2; exit 2 ;;`,
    '  esac',
    'done',
    '[ -n "$report" ] || report=$(default_report)',
    '',
  ]
}

/**
 * The lines that start a verify script (`verify-<os>.sh`): its head, the report writer named after it, and its
 * `--report FILE` option.
 */
export function verifyHead(root: KitRoot, r: Omit<ReportShell, 'generator'>, purpose: string[], where: string[]): string[] {
  const file = `verify-${r.os}.sh`
  return [...scriptHead(root, file, purpose, where), ...reportBlock(root, { generator: `certdesk-kit/${file}`, ...r }), ...reportArgs(file)]
}
