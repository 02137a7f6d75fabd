/**
 * Signature checks for path validation (RFC 5280 6.1.3 (a)(1)) straight over tbsCertificate with
 * node:crypto: one public key object per issuer key and a bounded memo of results, because the same
 * intermediate heads thousands of chains in a fleet or a trust-store scan and a verification is
 * pure in (signed bytes, signature, key). Algorithms node:crypto cannot take directly (RSA-PSS with
 * parameters) go through X509Certificate.verify.
 */
import { createHash, createPublicKey, verify, X509Certificate, type KeyObject } from 'node:crypto'
import type { ParsedCertificate } from '../der'
import { SIGNATURE_ALGORITHMS } from '../oids'

// Enough for a fleet of tens of thousands of leaves to be re-validated from memory (a few MB).
const LIMIT = 50_000
/** Public key objects by SubjectPublicKeyInfo: an issuer re-read from every chain file is one key. */
const keys = new Map<string, KeyObject | Error>()
const memo = new Map<string, string | null>()

function remember<V>(map: Map<string, V>, id: string, value: V): V {
  if (map.size >= LIMIT) map.delete(map.keys().next().value!)
  map.set(id, value)
  return value
}

function keyOf(issuer: ParsedCertificate): KeyObject | Error {
  const spki = Buffer.from(issuer.publicKey.raw.buffer, issuer.publicKey.raw.byteOffset, issuer.publicKey.raw.byteLength)
  const id = spki.toString('base64')
  const known = keys.get(id)
  if (known) return known
  try {
    return remember(keys, id, createPublicKey({ key: spki, format: 'der', type: 'spki' }))
  } catch (error) {
    return remember(keys, id, error as Error)
  }
}

function check(child: ParsedCertificate, issuer: ParsedCertificate): string | null {
  const alg = SIGNATURE_ALGORITHMS[child.outerSignature.oid]
  const key = keyOf(issuer)
  if (key instanceof Error) return `could not be checked: the issuer's public key is unusable (${key.message})`
  try {
    if (alg && alg.key !== 'rsa-pss') {
      const hash = alg.hash === 'none' ? null : alg.hash
      return verify(hash, child.tbs, key, child.signature) ? null : 'does not verify'
    }
    return new X509Certificate(child.der).verify(key) ? null : 'does not verify'
  } catch (error) {
    return `could not be checked (${(error as Error).message})`
  }
}

/** Why `child`'s signature does not verify with `issuer`'s public key, or null when it does. */
export function signatureProblem(child: ParsedCertificate, issuer: ParsedCertificate): string | null {
  const id = createHash('sha256').update(child.der).update(issuer.publicKey.raw).digest('base64')
  const known = memo.get(id)
  if (known !== undefined) return known
  return remember(memo, id, check(child, issuer))
}
