/**
 * Which Linux trust-store family this machine uses: read from /etc/os-release (ID, then ID_LIKE)
 * and confirmed by the refresh tool actually present. A folder merely existing is not evidence
 * (an Ubuntu host with a stray /etc/pki/ca-trust has misled folder-sniffing tools before).
 */
export type LinuxFamily = 'debian' | 'rhel' | 'arch' | 'suse'

export interface FamilyLayout {
  family: LinuxFamily
  label: string
  anchorsDir: string
  /** Suffix of anchor files certdesk writes; Debian's tool ignores anything but `.crt`. */
  extension: '.crt' | '.pem'
  /** Suffixes the refresh tool reads from the anchors folder (null: any file). */
  readsSuffixes: readonly string[] | null
  bundle: string
  tool: string
  refreshArgs: readonly string[]
}

export const FAMILY_LAYOUTS: Record<LinuxFamily, FamilyLayout> = {
  debian: {
    family: 'debian',
    label: 'Debian/Ubuntu',
    anchorsDir: '/usr/local/share/ca-certificates',
    extension: '.crt',
    readsSuffixes: ['.crt'],
    bundle: '/etc/ssl/certs/ca-certificates.crt',
    tool: 'update-ca-certificates',
    refreshArgs: [],
  },
  rhel: {
    family: 'rhel',
    label: 'RHEL/Fedora',
    anchorsDir: '/etc/pki/ca-trust/source/anchors',
    extension: '.pem',
    readsSuffixes: null,
    bundle: '/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem',
    tool: 'update-ca-trust',
    refreshArgs: ['extract'],
  },
  arch: {
    family: 'arch',
    label: 'Arch (p11-kit)',
    anchorsDir: '/etc/ca-certificates/trust-source/anchors',
    extension: '.crt',
    readsSuffixes: null,
    bundle: '/etc/ssl/certs/ca-certificates.crt',
    tool: 'trust',
    refreshArgs: ['extract-compat'],
  },
  suse: {
    family: 'suse',
    label: 'openSUSE/SLES',
    anchorsDir: '/etc/pki/trust/anchors',
    extension: '.pem',
    readsSuffixes: null,
    bundle: '/var/lib/ca-certificates/ca-bundle.pem',
    tool: 'update-ca-certificates',
    refreshArgs: [],
  },
}

/** os-release IDs (ID, ID_LIKE) and the family each belongs to; the fleet kit's install script is generated from it. */
export const ID_FAMILY: Record<string, LinuxFamily> = {
  debian: 'debian',
  ubuntu: 'debian',
  linuxmint: 'debian',
  pop: 'debian',
  raspbian: 'debian',
  elementary: 'debian',
  kali: 'debian',
  zorin: 'debian',
  neon: 'debian',
  rhel: 'rhel',
  fedora: 'rhel',
  centos: 'rhel',
  almalinux: 'rhel',
  rocky: 'rhel',
  ol: 'rhel',
  amzn: 'rhel',
  nobara: 'rhel',
  arch: 'arch',
  manjaro: 'arch',
  endeavouros: 'arch',
  garuda: 'arch',
  artix: 'arch',
  opensuse: 'suse',
  'opensuse-leap': 'suse',
  'opensuse-tumbleweed': 'suse',
  sles: 'suse',
  suse: 'suse',
  sled: 'suse',
}

/** The file name (without the family's extension) Certdesk gives a root's anchor: the app and the fleet kit alike. */
export function anchorBaseName(cn: string, sha256: string): string {
  return `certdesk-${cn}-${sha256.slice(0, 16)}`
}

export function parseOsRelease(text: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const line of text.split('\n')) {
    const m = /^\s*([A-Z0-9_]+)\s*=\s*(.*?)\s*$/.exec(line)
    if (!m?.[1] || m[2] === undefined) continue
    let value = m[2]
    if (/^(["']).*\1$/.test(value)) value = value.slice(1, -1).replace(/\\(["'\\$`])/g, '$1')
    out[m[1]] = value
  }
  return out
}

export interface FamilyChoice {
  family: LinuxFamily
  reason: string
}

/**
 * os-release names the candidates in order (ID first, then ID_LIKE); the first whose refresh tool
 * exists wins. Debian and SUSE share the tool name, so only os-release tells them apart. With no
 * usable os-release, the tool alone decides (update-ca-trust is unique to RHEL; `trust` is on
 * Debian too, so it comes last).
 */
export function chooseFamily(osRelease: Record<string, string>, hasTool: (name: string) => boolean): FamilyChoice | null {
  const ids = [osRelease['ID'] ?? '', ...(osRelease['ID_LIKE'] ?? '').split(/\s+/)].map((s) => s.toLowerCase()).filter(Boolean)
  for (const id of ids) {
    const family = ID_FAMILY[id] ?? (id.startsWith('opensuse') ? 'suse' : undefined)
    if (family && hasTool(FAMILY_LAYOUTS[family].tool))
      return { family, reason: `os-release ${id === ids[0] ? 'ID' : 'ID_LIKE'}=${id}, ${FAMILY_LAYOUTS[family].tool} present` }
  }
  for (const family of ['rhel', 'debian', 'arch'] as const) {
    if (hasTool(FAMILY_LAYOUTS[family].tool))
      return { family, reason: `os-release inconclusive (${ids.join(' ') || 'missing'}); ${FAMILY_LAYOUTS[family].tool} present` }
  }
  const fromRelease = ids.map((id) => ID_FAMILY[id]).find(Boolean)
  return fromRelease
    ? { family: fromRelease, reason: `os-release says ${fromRelease}, but ${FAMILY_LAYOUTS[fromRelease].tool} is missing` }
    : null
}
