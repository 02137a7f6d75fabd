/** Time: expired, not yet valid, expiring soon, and outliving the issuer. */
import { type Rule } from '../rule'

const DAY = 86_400_000
const iso = (ms: number): string => new Date(ms).toISOString()

export const validityRules: Rule[] = [
  {
    id: 'validity.expired',
    severity: 'error',
    source: 'RFC 5280 6.1.3 (a)(2)',
    title: 'Certificate has expired',
    fix: 'Issue a replacement (`certdesk ca sign --days N`, or for a CA `certdesk ca new --days N`) and deploy it.',
    check: ({ cert, now }) =>
      cert.notAfter.ms < now ? `expired on ${iso(cert.notAfter.ms)} (${Math.floor((now - cert.notAfter.ms) / DAY)} days ago)` : null,
  },
  {
    id: 'validity.not_yet_valid',
    severity: 'error',
    source: 'RFC 5280 6.1.3 (a)(2)',
    title: 'Certificate is not yet valid',
    fix:
      "Check the issuing machine's clock, or re-issue without a future start (`openssl x509 -req` starts " +
      'now unless `-not_before` is given).',
    check: ({ cert, now }) => (cert.notBefore.ms > now ? `valid only from ${iso(cert.notBefore.ms)}` : null),
  },
  {
    id: 'validity.expiring_soon',
    severity: 'warning',
    source: 'Certdesk operations',
    title: 'Certificate expires soon',
    fix: 'Renew before it lapses: `certdesk ca sign --days N` with the same key or a new one.',
    check: ({ cert, now, expiringDays }) => {
      const left = cert.notAfter.ms - now
      return left >= 0 && left <= expiringDays * DAY
        ? `expires on ${iso(cert.notAfter.ms)}, in ${Math.ceil(left / DAY)} day(s) (threshold ${expiringDays})`
        : null
    },
  },
  {
    id: 'validity.exceeds_issuer',
    severity: 'warning',
    source: 'RFC 5280 6.1.3; CA/Browser Forum BR 6.3.2',
    title: 'Valid beyond the issuing CA',
    fix:
      'Issue with a shorter lifetime (`certdesk ca sign --days N` / `openssl x509 -req -days N`) ending ' +
      'before the CA does, or renew the CA first.',
    check: ({ cert, issuer }) =>
      issuer && cert.notAfter.ms > issuer.notAfter.ms
        ? `notAfter ${iso(cert.notAfter.ms)} is after the issuer's notAfter ${iso(issuer.notAfter.ms)}; the ` +
          `chain stops validating when the issuer expires`
        : null,
  },
]
