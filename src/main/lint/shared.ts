/**
 * Certificates parsed once per process: a fleet's thousands of leaves share a few intermediates and one
 * root, and a trust bundle is re-read on every check, so a certificate seen before is not parsed,
 * decoded or verified again. Keyed by the exact DER bytes (never by a name); the cache parses its own
 * copy of them, so a shared certificate's bytes cannot change under it. What is decoded from a shared
 * certificate (its extensions, the verdicts on its signature) is kept with it while the cache holds it.
 * A certificate is kept from its second sighting on: the first time, only a sample of its bytes is
 * noted, so a scan's ten thousand leaves, each seen once, are not copied and kept alive for nothing
 * (keeping them costs more in garbage collection than parsing them). Shared certificates are read-only.
 */
import { ByteKeyedCache, copyBytes, sample } from './byte-cache'
import { parseCertificate, type ParsedCertificate } from './der'

// A fleet of ten thousand client certificates and a few trust bundles: about 2 KB each.
const LIMIT = 20_000
const parsed = new ByteKeyedCache<ParsedCertificate>(LIMIT)
const shared = new WeakSet<ParsedCertificate>()
/** Samples of the bytes seen once (a sample two certificates share only admits one a sighting early). */
let seen = new Set<number>()

/** Parses `der` (DerError when malformed), or returns the certificate parsed before from the same bytes (from the second sighting). */
export function parseCertificateShared(der: Uint8Array): ParsedCertificate {
  // One sample of the bytes serves the cache lookup, the first-sighting note and the insert.
  const id = sample(der)
  const known = parsed.get(der, undefined, id)
  if (known) return known
  if (!seen.has(id)) {
    if (seen.size >= LIMIT) seen = new Set()
    seen.add(id)
    return parseCertificate(der)
  }
  const own = copyBytes(der)
  const cert = parseCertificate(own)
  shared.add(cert)
  return parsed.set(cert, own, undefined, true, id)
}

/** Whether `cert` came from parseCertificateShared: its bytes never change, so facts about it may be kept. */
export const isShared = (cert: ParsedCertificate): boolean => shared.has(cert)

/** Forgets every shared certificate (tests). */
export function clearSharedCertificates(): void {
  parsed.clear()
  seen = new Set()
}
