/**
 * The activity log in words: what each action key means, what each outcome is called, and the text
 * an entry is found by. One place for both the Activity screen and main's filter.
 */
import type { ActivityEntry, ActivityOutcome } from './model'

/** The actions recorded outside the Cloudflare operations, in words (a key not listed here is shown by `actionWords`' fallback). */
export const ACTION_WORDS: Record<string, string> = {
  'profile.add': 'Added profile',
  'profile.remove': 'Removed profile',
  'sandbox.reset': 'Reset the Sandbox',
  'key.create': 'Created private key and CSR',
  'key.createRoot': 'Created root CA',
  'key.reissueCa': 'Re-issued CA certificate with the same key',
  'key.reissueClientCert': 'Reissued client certificate with the same key',
  'key.delete': 'Deleted private key',
  'key.export': 'Exported private key',
  'key.import': 'Imported private key',
  'vault.backup': 'Backed up the vault',
  'vault.restore': 'Restored keys from a backup',
  'certificate.save': 'Saved certificate',
  'gateway.generateRoot': 'Generated Gateway root',
  'gateway.importRoot': 'Imported Gateway root and key',
  'trust.install': 'Installed trusted root',
  'trust.remove': 'Removed trusted root',
  // A Cloudflare change is recorded as `cf.` and its operation key; its words are declared with the operation
  // (main/cloudflare/operation.ts) and given with each entry (ActivityRow.words).
  'cf.clientCerts.reconcile': 'Settled a pending client certificate create',
  // The names earlier versions wrote: activity logs on disk hold them.
  'cf.clientCertificate.create': 'Issued client certificate',
  'cf.clientCertificate.revoke': 'Revoked client certificate',
  'cf.clientCertificate.reactivate': 'Reactivated client certificate',
  'cf.clientCertificate.reconcile': 'Settled a pending client certificate create',
  'cf.clientCertificate.bulkRevoke': 'Revoked client certificates (bulk)',
  'cf.clientCertificate.bulkCreate': 'Issued client certificates (bulk)',
  'cf.access.settings': 'Changed Access client-certificate forwarding',
}

/** `cf.fooBar.baz` → "Foo bar baz" when the key is not in the map (a newer app wrote it). */
export function actionWords(action: string): string {
  const known = ACTION_WORDS[action]
  if (known) return known
  const words = action
    .replace(/^cf\./, '')
    .split('.')
    .flatMap((part) =>
      part
        .replace(/([a-z])([A-Z])/g, '$1 $2')
        .toLowerCase()
        .split(' '),
    )
    .join(' ')
  return words.charAt(0).toUpperCase() + words.slice(1)
}

export const OUTCOME_WORDS: Record<ActivityOutcome, string> = {
  ok: 'Succeeded',
  failed: 'Failed',
  cancelled: 'Cancelled',
  unknown: 'Unknown',
}

/** What an entry is named by: its object's name, else the one-line target older entries have. */
export function objectLabel(entry: ActivityEntry): string {
  return entry.objectName ?? entry.target
}

/** Everything an entry can be found by: action (key and words), object name and id, target, profile, user, outcome, reason, details. */
export function activitySearchText(entry: ActivityEntry, words = actionWords(entry.action)): string {
  return [
    entry.action,
    words,
    entry.target,
    entry.objectName,
    entry.objectId,
    entry.profile,
    entry.profileId,
    entry.actor,
    OUTCOME_WORDS[entry.outcome],
    entry.reason,
    ...Object.values(entry.detail ?? {}).map((v) => (v === null ? '' : String(v))),
  ]
    .filter(Boolean)
    .join(' ')
    .toLowerCase()
}
