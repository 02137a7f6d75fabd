/**
 * OpenSSL's own per-certificate verdicts that have no general RFC rule: the X509_V_FLAG_X509_STRICT
 * legacy-CA check, and the extensions it refuses to decode. The rest of what OpenSSL rejects reuses
 * the RFC rules (see the python-strict profile).
 */
import { hasKeyUsage, KU, OPENSSL_DECODED_EXTENSIONS } from '../extensions'
import { oidName } from '../oids'
import { OPENSSL_STRICT, type Rule } from '../rule'

export const opensslStrictRules: Rule[] = [
  {
    id: 'strict.ca_without_basic_constraints',
    severity: 'error',
    source: `${OPENSSL_STRICT} X509_V_ERR_INVALID_CA`,
    title: 'CA recognised only by legacy rules (v1 root, keyUsage-only or Netscape CA)',
    fix:
      'Re-create the CA with `-addext "basicConstraints=critical,CA:TRUE" -addext ' +
      '"keyUsage=critical,keyCertSign,cRLSign"` (or `certdesk ca new`) and redistribute it.',
    check: ({ bc, cert, selfIssued, keyUsage, netscapeCa }) => {
      if (bc !== null) return null
      // Mirrors X509_check_ca(): without basicConstraints, OpenSSL treats these as CAs only in non-strict mode.
      if (keyUsage !== null && !hasKeyUsage(keyUsage, KU.keyCertSign)) return null
      if (cert.version === 1 && selfIssued)
        return 'a version 1 self-signed root; strict verification requires basicConstraints CA:TRUE on the trust anchor'
      if (keyUsage !== null)
        return 'keyUsage asserts keyCertSign but there is no basicConstraints; strict verification does not accept it as a CA'
      if (netscapeCa) return 'only the Netscape certificate type marks this as a CA; strict verification requires basicConstraints CA:TRUE'
      return null
    },
  },
  {
    id: 'openssl.extension.invalid',
    severity: 'error',
    source: 'RFC 5280 4.2; OpenSSL ossl_x509v3_cache_extensions ("invalid certificate")',
    title: 'An extension OpenSSL decodes is repeated or damaged, so no path through the certificate is built',
    fix:
      'Re-issue from an openssl extension section that lists each extension once with a valid value; ' +
      'verification otherwise fails with "unable to get local issuer certificate".',
    check: ({ duplicates, malformed }) => {
      const repeated = [...new Set(duplicates.filter((o) => OPENSSL_DECODED_EXTENSIONS.has(o)))]
      const problems = [
        ...repeated.map((o) => `${oidName(o)} (${o}) appears more than once`),
        // Every extension the lint context decodes is one OpenSSL decodes too.
        ...malformed,
      ]
      return problems.length ? `${problems.join('; ')}; OpenSSL marks the certificate invalid` : null
    },
  },
]
