/**
 * Linux: `install-linux.sh` (install or `--remove` the root in the system store, the distribution family chosen at
 * run time), `verify-linux.sh` (exit 0 only when the system bundle holds the root; writes a report) and
 * `ansible-root.yml` (the same install as Ansible tasks).
 */
import { FAMILY_LAYOUTS, type LinuxFamily } from '../../truststore/linux-distro'
import { PRUNE_LINKS } from '../../truststore/linux'
import { familyBlock, refreshBlock, scriptHead, verifyHead } from './shell'
import type { KitRoot } from './root'

export function installLinux(root: KitRoot): string {
  return [
    ...scriptHead(
      root,
      'install-linux.sh',
      [
        'Installs the root into the system trust store (Debian/Ubuntu, RHEL/Fedora, Arch, SUSE; chosen from /etc/os-release),',
        'or removes it with --remove. Idempotent: running it twice changes nothing the second time.',
        'Exit 0 done (or nothing to do), 1 failed, 2 bad usage. CERTDESK_KIT_ROOT=DIR prefixes every path (a test tree).',
      ],
      ['run as root on each Linux machine (sudo sh install-linux.sh), by MDM, Ansible or ssh.'],
    ),
    'action=install',
    'case "${1:-}" in',
    '  "") ;;',
    '  --remove) action=remove ;;',
    '  -h|--help) echo "usage: sudo sh install-linux.sh [--remove]"; exit 0 ;;',
    '  *) echo "install-linux.sh: unknown argument \\"$1\\" (usage: sudo sh install-linux.sh [--remove])" >&2; exit 2 ;;',
    'esac',
    '[ $# -le 1 ] || { echo "install-linux.sh: one argument at most (usage: sudo sh install-linux.sh [--remove])" >&2; exit 2; }',
    '',
    ...familyBlock(),
    'if [ -z "$family" ]; then',
    '  echo "install-linux.sh: this Linux is not one the kit knows (Debian/Ubuntu, RHEL/Fedora, Arch, SUSE): $(os_value PRETTY_NAME)." >&2',
    '  echo "  Copy root.pem into the distribution\'s trust anchors folder and run its refresh tool." >&2',
    '  exit 1',
    'fi',
    ...refreshBlock(),
    PRUNE_LINKS,
    '',
    'if [ "$action" = remove ]; then',
    '  if [ ! -e "$anchor" ]; then',
    '    echo "Not installed by this kit ($anchor is absent); nothing changed."',
    '    in_bundle && echo "note: the root is still trusted through another file in $ROOT$anchors or the distribution\'s roots."',
    '    exit 0',
    '  fi',
    '  rm -f -- "$anchor" || exit 1',
    '  refresh >/dev/null || { echo "install-linux.sh: $refresh_cmd failed after removing $anchor." >&2; exit 1; }',
    "  # Debian leaves the removed anchor's links in /etc/ssl/certs dangling: remove exactly those.",
    '  [ "$family" = debian ] && prune "$ROOT/etc/ssl/certs" "$anchor"',
    '  # Its Java hook (ca-certificates-java) is told of additions only: take its copy out of the system Java store too.',
    '  java_store="$ROOT/etc/ssl/certs/java/cacerts"',
    '  if [ "$family" = debian ] && [ -f "$java_store" ] && command -v keytool >/dev/null 2>&1; then',
    '    keytool -delete -alias "debian:$(printf %s "$NAME" | tr "A-Z" "a-z").pem" -keystore "$java_store" \\',
    '      -storepass "${CERTDESK_JAVA_STOREPASS:-changeit}" >/dev/null 2>&1 || :',
    '  fi',
    '  if in_bundle; then',
    '    echo "Removed $anchor, but the bundle still holds the root (another anchor or a distribution root has it)." >&2',
    '    exit 1',
    '  fi',
    '  echo "Removed the root \\"$SUBJECT\\" from the $label system store ($anchor)."',
    '  exit 0',
    'fi',
    '',
    'work=$(mktemp -d) || exit 1',
    'trap \'rm -rf -- "$work"\' EXIT',
    'write_pem > "$work/root.pem"',
    'if [ -f "$anchor" ] && cmp -s "$work/root.pem" "$anchor" && in_bundle; then',
    '  echo "Already installed and trusted ($anchor); nothing changed."',
    '  exit 0',
    'fi',
    'if [ ! -e "$anchor" ] && in_bundle; then',
    '  echo "Already trusted through the $label system bundle ($ROOT$bundle); nothing changed."',
    '  exit 0',
    'fi',
    'mkdir -p -- "$ROOT$anchors" || exit 1',
    'install -m 0644 -- "$work/root.pem" "$anchor" || exit 1',
    'if ! refresh >/dev/null; then',
    '  echo "install-linux.sh: $refresh_cmd failed; removing $anchor again." >&2',
    '  rm -f -- "$anchor"; refresh >/dev/null 2>&1',
    '  exit 1',
    'fi',
    'if [ -n "$ROOT" ] && [ "$family" != debian ]; then',
    '  echo "Installed $anchor (bundle not rebuilt under CERTDESK_KIT_ROOT)."',
    '  exit 0',
    'fi',
    'if in_bundle; then',
    '  echo "Installed the root \\"$SUBJECT\\" into the $label system store ($anchor)."',
    '  exit 0',
    'fi',
    'echo "install-linux.sh: $anchor is in place but $ROOT$bundle does not hold the root after $refresh_cmd." >&2',
    'exit 1',
    '',
  ].join('\n')
}

export function verifyLinux(root: KitRoot): string {
  return [
    ...verifyHead(
      root,
      { os: 'linux', osVersion: '$(os_value PRETTY_NAME)' },
      [
        'Checks that the system trust store trusts the root and writes a certdesk-trust-report/1 JSON file',
        '(--report FILE; default ./certdesk-report-HOST-SHA256PREFIX.json, or in $CERTDESK_REPORT_DIR).',
        'Exit 0 only when trusted, 1 when not, 2 bad usage. CERTDESK_KIT_ROOT=DIR prefixes every path (a test tree).',
      ],
      ['run on each Linux machine, any user (MDM compliance script, Ansible, ssh); collect the reports.'],
    ),
    ...familyBlock(),
    'if [ -z "$family" ]; then',
    '  status=error; detail="This Linux is not one the kit knows (Debian/Ubuntu, RHEL/Fedora, Arch, SUSE)."; where="system store"',
    'elif in_bundle; then',
    '  status=trusted; detail="In $bundle."; where="$label system store"',
    'elif [ -f "$anchor" ]; then',
    '  status=present-not-trusted; where="$label system store"',
    '  detail="$anchors/$NAME$ext is there but $bundle does not hold it: run $refresh_cmd as root."',
    'else',
    '  status=missing; detail="Not in $bundle: run install-linux.sh as root."; where="$label system store"',
    'fi',
    'verdict=not-trusted',
    '[ "$status" = trusted ] && verdict=trusted',
    'if write_report "$report" "$verdict" "$(store_json system "$where" "$status" "$detail")"; then',
    '  echo "Report: $report"',
    'else',
    '  echo "verify-linux.sh: could not write the report to $report." >&2',
    'fi',
    'echo "$status: $SUBJECT — $detail"',
    '[ "$status" = trusted ] && exit 0',
    'exit 1',
    '',
  ].join('\n')
}

const ANSIBLE_FAMILY: Record<LinuxFamily, string> = { debian: 'Debian', rhel: 'RedHat', arch: 'Archlinux', suse: 'Suse' }

export function ansibleRoot(root: KitRoot): string {
  const families = Object.keys(ANSIBLE_FAMILY) as LinuxFamily[]
  const anchor = (f: LinuxFamily) => `${FAMILY_LAYOUTS[f].anchorsDir}/${root.fileBase}${FAMILY_LAYOUTS[f].extension}`
  const refresh = (f: LinuxFamily) => [FAMILY_LAYOUTS[f].tool, ...FAMILY_LAYOUTS[f].refreshArgs].join(' ')
  const map = (value: (f: LinuxFamily) => string) =>
    `{{ {${families.map((f) => `'${ANSIBLE_FAMILY[f]}': '${value(f)}'`).join(', ')}}[ansible_os_family] }}`
  return [
    `# ansible-root.yml (Certdesk fleet kit) for the root "${root.name}"`,
    `# SHA-256 ${root.cloudflareSha256}`,
    '# Installs the root into the system trust store of Debian/Ubuntu, RHEL/Fedora, Arch and SUSE hosts (by ansible_os_family).',
    '# Where it goes: a task file; include it from a play with become: true, e.g.',
    '#   - hosts: all',
    '#     become: true',
    '#     tasks:',
    '#       - ansible.builtin.include_tasks: ansible-root.yml',
    '# Made by Certdesk; the same root always gives the same file.',
    '- name: Certdesk root | where this distribution keeps trust anchors',
    '  ansible.builtin.set_fact:',
    `    certdesk_root_anchor: "${map(anchor)}"`,
    `    certdesk_root_refresh: "${map(refresh)}"`,
    '',
    `- name: Certdesk root | install ${root.fileBase}`,
    '  ansible.builtin.copy:',
    '    dest: "{{ certdesk_root_anchor }}"',
    '    owner: root',
    '    group: root',
    '    mode: "0644"',
    '    content: |',
    ...root.pem
      .trimEnd()
      .split('\n')
      .map((l) => `      ${l}`),
    '  register: certdesk_root_copy',
    '',
    '- name: Certdesk root | rebuild the system bundle',
    '  ansible.builtin.command: "{{ certdesk_root_refresh }}"',
    '  when: certdesk_root_copy.changed',
    '',
  ].join('\n')
}
