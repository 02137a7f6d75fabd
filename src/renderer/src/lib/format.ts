/** Dates, expiry and short ids as the screens show them. */
import { daysUntil } from '../../../shared/dates'

// One formatter each: toLocaleDateString builds a new Intl formatter per call, which shows when a
// 10,000-row table renders a screenful of dates per scroll frame.
const DATE = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' })
const DATE_TIME = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' })
export const dateText = (iso: string | undefined): string => (iso ? DATE.format(new Date(iso)) : '—')
export const dateTimeText = (iso: string | undefined): string => (iso ? DATE_TIME.format(new Date(iso)) : '—')

export { daysUntil }

export interface ExpiryBadge {
  kind: 'bad' | 'warn'
  text: string
}

/** A badge for certificates expired or expiring within `soonDays`; null when comfortably valid. */
export function expiryBadge(iso: string | undefined, soonDays: number, now = Date.now()): ExpiryBadge | null {
  const days = daysUntil(iso, now)
  if (days === null) return null
  if (days < 0) return { kind: 'bad', text: 'expired' }
  if (days <= soonDays) return { kind: 'warn', text: days === 0 ? 'expires today' : `expires in ${days} day${days === 1 ? '' : 's'}` }
  return null
}

export const STATUS_LABEL: Record<string, string> = {
  active: 'active',
  pending_revocation: 'pending revocation',
  pending_reactivation: 'pending reactivation',
  revoked: 'revoked',
  pending_deployment: 'pending deployment',
  available: 'available',
  pending_deletion: 'pending deletion',
  inactive: 'inactive',
}

export const STATUS_BADGE: Record<string, string> = {
  active: 'ok',
  available: 'ok',
  pending_revocation: 'warn',
  pending_reactivation: 'info',
  pending_deployment: 'info',
  pending_deletion: 'warn',
  revoked: 'bad',
  inactive: 'neutral',
}

export const shortId = (id: string): string => id.slice(0, 8)

/** One hostname per line or separated by commas/spaces; trimmed, lower-cased, de-duplicated. */
export function parseHostnames(text: string): string[] {
  const seen = new Set<string>()
  for (const part of text.split(/[\s,]+/)) {
    const h = part.trim().toLowerCase()
    if (h) seen.add(h)
  }
  return [...seen]
}

/** How many rows a filtered list shows: "48 certificates", or "Showing 12 of 48 certificates". */
export const shownCount = (shown: number, total: number, noun: string): string =>
  shown === total ? `${total} ${noun}` : `Showing ${shown} of ${total} ${noun}`
