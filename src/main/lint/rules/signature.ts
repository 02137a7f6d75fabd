/** Signature algorithm strength: MD5/MD2 and SHA-1. */
import { SIGNATURE_ALGORITHMS } from '../oids'
import { type Rule } from '../rule'

const RESIGN = 'Re-sign with SHA-256: `openssl x509 -req … -sha256` / `openssl req -x509 … -sha256`, or `certdesk ca sign`.'

export const signatureRules: Rule[] = [
  {
    id: 'sig.md5',
    severity: 'error',
    source: 'RFC 6151; OpenSSL 3 security level 1 rejects MD5',
    title: 'MD5 or MD2 signature',
    fix: RESIGN,
    check: ({ cert, selfSigned }) => {
      const hash = SIGNATURE_ALGORITHMS[cert.outerSignature.oid]?.hash
      // A trust anchor's own signature is never checked, so a legacy hash on a root is harmless.
      if (selfSigned) return null
      return hash === 'md5' || hash === 'md2'
        ? `signed with ${SIGNATURE_ALGORITHMS[cert.outerSignature.oid]!.name}; collisions are practical`
        : null
    },
  },
  {
    id: 'sig.sha1',
    severity: 'warning',
    source: 'RFC 9155; CA/Browser Forum BR 7.1.3.2',
    title: 'SHA-1 signature',
    fix: RESIGN,
    check: ({ cert, selfSigned }) => {
      if (selfSigned) return null
      const alg = SIGNATURE_ALGORITHMS[cert.outerSignature.oid]
      return alg?.hash === 'sha1' ? `signed with ${alg.name}; browsers and OpenSSL 3 at security level 1+ distrust SHA-1 signatures` : null
    },
  },
]
