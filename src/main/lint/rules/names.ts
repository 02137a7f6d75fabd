/** Names: issuer and subject emptiness, subjectAltName criticality, emptiness and entries (RFC 5280 4.1.2.4, 4.1.2.6, 4.2.1.6). */
import { hasKeyUsage, KU } from '../extensions'
import { GN, text, type GeneralName } from '../path/general-names'
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
  {
    id: 'cert.san.invalid_entry',
    severity: 'error',
    source: RFC('4.2.1.6'),
    title: 'A subjectAltName entry is empty or not valid for its type',
    fix:
      'List only well-formed names in the openssl extension section: `subjectAltName = DNS:host.example.com, ' +
      'IP:192.0.2.1, email:a@example.com, URI:https://example.com/` (letters, digits and "-" in host names, a ' +
      'wildcard only as `*.`), or `certdesk csr new --san …`, then re-issue.',
    check: ({ san }) => {
      const problems = (san ?? []).map(sanEntryProblem).filter((p): p is string => p !== null)
      return problems.length ? problems.join('; ') : null
    },
  },
]

const LDH_LABEL = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/

/** What is wrong with one SAN entry under RFC 5280 4.2.1.6 (MUST NOT be empty; names in their preferred syntax), or null. */
function sanEntryProblem(name: GeneralName): string | null {
  const value = text(name)
  switch (name.type) {
    case GN.dns: {
      if (value === '' || value === ' ') return 'a dNSName is empty'
      const labels = (value.startsWith('*.') ? value.slice(2) : value).split('.')
      if (value.length > 253 || !labels.every((l) => LDH_LABEL.test(l)))
        return `the dNSName "${value}" is not a host name (letters, digits and "-" only; a wildcard only as a whole "*." label)`
      return null
    }
    case GN.rfc822: {
      const at = value.lastIndexOf('@')
      if (value === '') return 'an rfc822Name is empty'
      return at <= 0 || at === value.length - 1 ? `the rfc822Name "${value}" is not a mailbox (local@domain)` : null
    }
    case GN.uri:
      if (value === '') return 'a URI is empty'
      return /^[A-Za-z][A-Za-z0-9+.-]*:\S+$/.test(value) ? null : `the URI "${value}" has no scheme or contains spaces`
    case GN.ip:
      return name.value.length === 4 || name.value.length === 16 ? null : `an iPAddress has ${name.value.length} octets (4 or 16 expected)`
    case GN.directory:
      return name.value.length <= 2 ? 'a directoryName is empty' : null
    default:
      return null
  }
}
