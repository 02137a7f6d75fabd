/**
 * Signature checks for path validation (RFC 5280 6.1.3 (a)(1)) straight over tbsCertificate with
 * node:crypto: one public key object per issuer key (by the exact SubjectPublicKeyInfo bytes), and for
 * a shared certificate (lint/shared.ts, whose bytes never change) the verdict per issuer key, because
 * the same intermediate heads thousands of chains in a fleet or a trust-store scan and a verification
 * is pure in (signed bytes, signature, key). Nothing is remembered by name: a certificate with other
 * bytes or an issuer with another key is verified afresh. Algorithms node:crypto cannot take directly
 * (RSA-PSS with parameters) go through X509Certificate.verify.
 */
import { createPublicKey, verify, X509Certificate, type KeyObject } from 'node:crypto'
import { ByteKeyedCache } from '../byte-cache'
import type { ParsedCertificate } from '../der'
import { SIGNATURE_ALGORITHMS } from '../oids'
import { isShared } from '../shared'

/** Public key objects by SubjectPublicKeyInfo: an issuer re-read from every chain file is one key. */
const keys = new ByteKeyedCache<KeyObject | Error>(10_000)
/** Verdicts on a shared certificate's signature: issuer key objects and their verdicts, alternating (mostly one pair). */
const verdicts = new WeakMap<ParsedCertificate, (KeyObject | string | null)[]>()

function keyOf(issuer: ParsedCertificate): KeyObject | Error {
  const spki = issuer.publicKey.raw
  const known = keys.get(spki)
  if (known) return known
  try {
    return keys.set(createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' }), spki)
  } catch (error) {
    return keys.set(error as Error, spki)
  }
}

function check(child: ParsedCertificate, key: KeyObject): string | null {
  const alg = SIGNATURE_ALGORITHMS[child.outerSignature.oid]
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
  const key = keyOf(issuer)
  if (key instanceof Error) return `could not be checked: the issuer's public key is unusable (${key.message})`
  if (!isShared(child)) return check(child, key)
  const known = verdicts.get(child)
  if (known) for (let i = 0; i < known.length; i += 2) if (known[i] === key) return known[i + 1] as string | null
  const verdict = check(child, key)
  if (known) known.push(key, verdict)
  else verdicts.set(child, [key, verdict])
  return verdict
}
