/**
 * The X509_V_FLAG_X509_STRICT checks that have no general RFC rule of their own. The rest of what
 * strict mode rejects reuses the RFC rules (see the python-strict profile).
 */
import { hasKeyUsage, KU } from '../extensions'
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
]
