/** End-entity rules for mTLS client and TLS server certificates (RFC 5280 4.2.1.3, 4.2.1.6, 4.2.1.12). */
import { EKU, KU } from '../extensions'
import { EKU_NAMES } from '../oids'
import { keyUsageLacks, RFC, type Rule } from '../rule'

/** A check that finds `refusal` when extendedKeyUsage is present but allows neither `purpose` nor any purpose. */
const ekuLacks =
  (purpose: string, refusal: string): Rule['check'] =>
  ({ eku }) =>
    eku !== null && !eku.includes(purpose) && !eku.includes(EKU.anyExtendedKeyUsage)
      ? `extendedKeyUsage allows only ${eku.map((o) => EKU_NAMES[o] ?? o).join(', ') || 'nothing'}; ${refusal}`
      : null

export const clientRules: Rule[] = [
  {
    id: 'leaf.client.eku_missing_client_auth',
    severity: 'error',
    source: RFC('4.2.1.12'),
    title: 'Client certificate whose EKU lacks clientAuth',
    fix: 'Re-issue with `extendedKeyUsage = clientAuth` (`certdesk ca sign --profile client`).',
    check: ekuLacks(EKU.clientAuth, 'TLS servers (Cloudflare mTLS included) refuse it for client authentication'),
  },
  {
    id: 'leaf.client.no_digital_signature',
    severity: 'error',
    source: RFC('4.2.1.3'),
    title: 'Client certificate whose keyUsage lacks digitalSignature',
    fix: 'Re-issue with `keyUsage = critical, digitalSignature` (`certdesk ca sign --profile client`).',
    check: keyUsageLacks(
      KU.digitalSignature,
      'keyUsage does not assert digitalSignature, which the TLS client signature (CertificateVerify) needs',
    ),
  },
  {
    id: 'leaf.client.is_ca',
    severity: 'error',
    source: RFC('4.2.1.9'),
    title: 'Client certificate is a CA',
    fix: 'Issue client certificates with `basicConstraints = critical, CA:FALSE` (`certdesk ca sign --profile client`).',
    check: ({ isCa }) => (isCa ? 'basicConstraints says CA:TRUE on a certificate meant for client authentication' : null),
  },
]

export const serverRules: Rule[] = [
  {
    id: 'leaf.server.san_missing',
    severity: 'error',
    source: `${RFC('4.2.1.6')}; RFC 6125 6.4.4 (browsers ignore the CN)`,
    title: 'Server certificate without subjectAltName',
    fix: "Add the host names: `-addext 'subjectAltName=DNS:host.example.com'` or `certdesk csr new --san DNS:host.example.com`.",
    check: ({ sanCount }) =>
      sanCount === null ? 'no subjectAltName extension; Chrome, Safari and Go match host names only against SANs' : null,
  },
  {
    id: 'leaf.server.eku_missing_server_auth',
    severity: 'error',
    source: RFC('4.2.1.12'),
    title: 'Server certificate whose EKU lacks serverAuth',
    fix: 'Re-issue with `extendedKeyUsage = serverAuth` (`certdesk ca sign --profile server`).',
    check: ekuLacks(EKU.serverAuth, 'TLS clients refuse it for a server'),
  },
  {
    id: 'leaf.server.eku_absent',
    severity: 'warning',
    source: 'Apple TLS requirements for macOS 10.15 / iOS 13 (HT210176)',
    title: 'Server certificate without extendedKeyUsage',
    fix:
      'Add `extendedKeyUsage = serverAuth` (`certdesk ca sign --profile server`); Apple platforms refuse ' +
      'TLS server certificates without it.',
    check: ({ eku }) => (eku === null ? 'no extendedKeyUsage extension; macOS and iOS require id-kp-serverAuth' : null),
  },
  {
    id: 'leaf.server.is_ca',
    severity: 'error',
    source: RFC('4.2.1.9'),
    title: 'Server certificate is a CA',
    fix: 'Issue server certificates with `basicConstraints = critical, CA:FALSE` (`certdesk ca sign --profile server`).',
    check: ({ isCa }) => (isCa ? 'basicConstraints says CA:TRUE on a certificate meant for a TLS server' : null),
  },
]
