/** Rules about what the chosen profile expects the certificate to be (root vs intermediate). */
import { type Rule } from '../rule'

export const roleRules: Rule[] = [
  {
    id: 'profile.root.not_self_signed',
    severity: 'error',
    source: 'RFC 5280 6.1 (trust anchors are self-signed)',
    title: 'Root CA that is not self-issued',
    fix: 'Lint it with `--profile intermediate-ca`, or create a root with `certdesk ca new` / `openssl req -x509`.',
    check: ({ selfIssued }) => (selfIssued ? null : 'subject and issuer differ, so this is not a root (self-signed) certificate'),
  },
  {
    id: 'profile.intermediate.self_signed',
    severity: 'warning',
    source: 'RFC 5280 6.1',
    title: 'Intermediate CA that is self-signed',
    fix:
      'Sign the intermediate with the root: `certdesk ca sign --profile intermediate` or `openssl x509 ' +
      '-req -CA root.pem -CAkey root-key.pem`.',
    check: ({ selfSigned }) => (selfSigned ? 'subject equals issuer: this looks like a root, not an intermediate' : null),
  },
]
