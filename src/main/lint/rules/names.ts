/** Names: issuer and subject emptiness, subjectAltName criticality and emptiness (RFC 5280 4.1.2.4, 4.1.2.6, 4.2.1.6). */
import { hasKeyUsage, KU } from '../extensions'
import { RFC, type Rule } from '../rule'

export const nameRules: Rule[] = [
  {
    id: 'cert.issuer.empty',
    severity: 'error',
    source: `${RFC('4.1.2.4')}; OpenSSL X509_V_ERR_ISSUER_NAME_EMPTY`,
    title: 'Issuer name is empty',
    fix: "Re-issue from a CA whose subject has at least a CN (`openssl req -subj '/CN=Example CA'` or `certdesk ca new --cn NAME`).",
    check: ({ cert }) => (cert.issuerEmpty ? 'the issuer distinguished name has no attributes' : null),
  },
  {
    id: 'cert.subject.empty_on_ca',
    severity: 'error',
    source: `${RFC('4.1.2.6')}; OpenSSL X509_V_ERR_SUBJECT_NAME_EMPTY`,
    title: 'Empty subject on a CA or CRL-signing certificate',
    fix: "Give the CA a subject: `openssl req -subj '/CN=Example CA'` or `certdesk ca new --cn NAME`.",
    check: ({ cert, isCa, keyUsage }) => {
      if (!cert.subjectEmpty) return null
      if (isCa) return 'the subject is empty on a certificate with basicConstraints CA:TRUE'
      if (keyUsage !== null && hasKeyUsage(keyUsage, KU.cRLSign)) return 'the subject is empty on a certificate with keyUsage cRLSign'
      return null
    },
  },
  {
    id: 'cert.subject.empty_without_san',
    severity: 'error',
    source: `${RFC('4.1.2.6')}; OpenSSL X509_V_ERR_SUBJECT_NAME_EMPTY`,
    title: 'Empty subject and no subjectAltName',
    fix:
      "Set a subject (`openssl req -subj '/CN=name'`, `certdesk csr new --cn NAME`) or add a critical SAN " +
      "(`-addext 'subjectAltName=critical,DNS:host'`).",
    check: ({ cert, sanCount }) =>
      cert.subjectEmpty && sanCount === null
        ? 'the subject is empty and there is no subjectAltName, so the certificate names nobody'
        : null,
  },
  {
    id: 'cert.san.not_critical_with_empty_subject',
    severity: 'error',
    source: `${RFC('4.2.1.6')}; OpenSSL X509_V_ERR_EMPTY_SUBJECT_SAN_NOT_CRITICAL`,
    title: 'Subject is empty but subjectAltName is not critical',
    fix:
      'Mark the SAN critical: `subjectAltName = critical, DNS:host` in the openssl extension section (or ' +
      "`-addext 'subjectAltName=critical,…'`), or set a subject CN.",
    check: ({ cert, sanCount, sanCritical }) =>
      cert.subjectEmpty && sanCount !== null && !sanCritical
        ? 'the subject is empty and the subjectAltName extension is not marked critical'
        : null,
  },
  {
    id: 'cert.san.empty',
    severity: 'error',
    source: `${RFC('4.2.1.6')}; OpenSSL X509_V_ERR_EMPTY_SUBJECT_ALT_NAME`,
    title: 'subjectAltName extension has no names',
    fix: 'List at least one name (`subjectAltName = DNS:host` in openssl, `certdesk csr new --san DNS:host`) or drop the extension.',
    check: ({ sanCount }) => (sanCount === 0 ? 'the subjectAltName extension is an empty sequence' : null),
  },
]
