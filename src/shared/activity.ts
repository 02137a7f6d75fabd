/**
 * The activity log in words: what each action key means, what each outcome is called, and the text
 * an entry is found by. One place for both the Activity screen and main's filter.
 */
import type { ActivityEntry, ActivityOutcome } from './model'

/** Every action the app records, in words (a key not listed here is shown by `actionWords`' fallback). */
export const ACTION_WORDS: Record<string, string> = {
  'profile.add': 'Added profile',
  'profile.remove': 'Removed profile',
  'sandbox.reset': 'Reset the Sandbox',
  'key.create': 'Created private key and CSR',
  'key.createRoot': 'Created root CA',
  'key.delete': 'Deleted private key',
  'key.export': 'Exported private key',
  'certificate.save': 'Saved certificate',
  'gateway.generateRoot': 'Generated Gateway root',
  'gateway.importRoot': 'Imported Gateway root and key',
  'trust.install': 'Installed trusted root',
  'trust.remove': 'Removed trusted root',
  // Cloudflare operations: `cf.` and the operation's key, the channel's name with a dot (clientCerts:revoke).
  'cf.clientCerts.createFromCsr': 'Issued client certificate',
  'cf.clientCerts.revoke': 'Revoked client certificate',
  'cf.clientCerts.reactivate': 'Reactivated client certificate',
  'cf.clientCerts.reconcile': 'Settled a pending client certificate create',
  'cf.hostnames.replace': 'Changed mTLS hostnames',
  'cf.access.add': 'Added Access mTLS root',
  'cf.access.updateHostnames': 'Changed Access root hostnames',
  'cf.access.delete': 'Deleted Access mTLS root',
  'cf.access.updateSettings': 'Changed Access client-certificate forwarding',
  'cf.mtls.upload': 'Uploaded account CA certificate',
  'cf.mtls.delete': 'Deleted account CA certificate',
  'cf.gateway.create': 'Created Gateway certificate',
  'cf.gateway.uploadRoot': 'Uploaded Gateway root',
  'cf.gateway.activate': 'Activated Gateway certificate',
  'cf.gateway.useForInspection': 'Chose Gateway certificate for inspection',
  'cf.gateway.deactivate': 'Deactivated Gateway certificate',
  'cf.gateway.delete': 'Deleted Gateway certificate',
  'cf.rules.enforce': 'Changed WAF custom rules (mTLS enforcement)',
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
export function activitySearchText(entry: ActivityEntry): string {
  return [
    entry.action,
    actionWords(entry.action),
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
