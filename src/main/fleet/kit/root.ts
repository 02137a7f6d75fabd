/**
 * The facts every file of the fleet kit is written from: the root's DER and PEM, its fingerprints, its name, and the
 * deterministic identifiers derived from its fingerprint. One root gives one set of facts, so two runs give the same files.
 */
import { createHash } from 'node:crypto'
import { colonHex } from '../../certs/fingerprint'
import { commonName, slug, type RootCertificate } from '../../truststore/certificates'
import { anchorBaseName } from '../../truststore/linux-distro'

export interface KitRoot {
  der: Buffer
  /** The root as PEM: 64-column lines, `\n` breaks, a final newline. */
  pem: string
  /** Subject on one line (`CN=…, O=…`). */
  subject: string
  /** The subject's common name (or the whole subject when it has none). */
  name: string
  /** SHA-256 of the DER, 64 lowercase hex digits (the report schema's form). */
  sha256: string
  /** SHA-1 of the DER, uppercase hex: the Windows thumbprint. */
  thumbprint: string
  /** `AB:CD:…` SHA-256, as Cloudflare shows it. */
  cloudflareSha256: string
  notAfter: string
  /** The file name the root is installed under (Linux anchors, Java aliases, Firefox): `certdesk-<cn>-<sha256/16>`. */
  fileBase: string
  /** The Certdesk version that made the kit (written into the verify scripts' reports). */
  version: string
}

/** The kit's facts of a root that passed `parseRootForInstall` (a CA, valid now, one certificate). */
export function kitRoot(root: RootCertificate, version: string): KitRoot {
  const { sha256, sha1, subject, notAfter } = root.summary
  const name = commonName(subject)
  return {
    der: root.der,
    pem: root.pem,
    subject,
    name,
    sha256: sha256.toLowerCase(),
    thumbprint: sha1.toUpperCase(),
    cloudflareSha256: colonHex(sha256),
    notAfter,
    fileBase: anchorBaseName(slug(name), sha256.toUpperCase()),
    version,
  }
}

/** The base64 of the DER on one line (what the scripts embed and compare against a bundle with line breaks removed). */
export const base64Der = (root: KitRoot): string => root.der.toString('base64')

/**
 * A UUID derived from the root's SHA-256 and a purpose (RFC 4122 name-based layout, version 5 bits, with SHA-256 in
 * place of SHA-1): the same root gives the same UUIDs, so a re-exported profile replaces the installed one.
 */
export function kitUuid(root: KitRoot, purpose: string): string {
  const bytes = createHash('sha256').update(`certdesk-fleet-kit:${purpose}:${root.sha256}`).digest().subarray(0, 16)
  bytes[6] = (bytes[6]! & 0x0f) | 0x50
  bytes[8] = (bytes[8]! & 0x3f) | 0x80
  const hex = bytes.toString('hex').toUpperCase()
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

/** `text` safe inside a POSIX shell single-quoted string. */
export const shQuote = (text: string): string => `'${text.replace(/'/g, `'\\''`)}'`

/** `text` safe inside a PowerShell single-quoted string. */
export const psQuote = (text: string): string => `'${text.replace(/'/g, "''")}'`
