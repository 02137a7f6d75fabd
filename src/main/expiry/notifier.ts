/**
 * OS notifications of the radar: when an item enters the expiry window or expires, at most once per item per day
 * (what was said, and on which day, is kept in `expiry/notified.json`). Many at once become one notice naming the
 * first few, so a zone of certificates expiring together does not flood the desktop.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { ExpiryItem } from '../../shared/expiry-model'
import type { Notice } from '../services'
import { writeFileAtomic } from '../storage/json-file'
import { dueRows, itemAt, type Clocking, type RadarIndex } from './radar'

/** More than this many new notices at once are folded into one. */
export const MAX_SEPARATE_NOTICES = 3

interface Said {
  state: 'expiring' | 'expired'
  /** UTC day (YYYY-MM-DD) it was said. */
  day: string
}

const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10)

function noticeOf(item: ExpiryItem): Notice {
  const where = item.where.text
  const title =
    item.state === 'expired'
      ? `${item.name} has expired`
      : item.daysLeft < 1
        ? `${item.name} expires in less than a day`
        : `${item.name} expires in ${item.daysLeft} day${item.daysLeft === 1 ? '' : 's'}`
  return { key: `expiry:${item.key}:${item.state}`, title, body: `${where}. ${item.breaks} ${item.renew.label}.` }
}

export class ExpiryNotifier {
  private readonly file: string

  constructor(
    userDataDir: string,
    private readonly notify: ((notice: Notice) => void) | undefined,
  ) {
    this.file = join(userDataDir, 'expiry', 'notified.json')
  }

  private read(): Record<string, Said> {
    try {
      const value: unknown = JSON.parse(readFileSync(this.file, 'utf8'))
      return typeof value === 'object' && value !== null ? (value as Record<string, Said>) : {}
    } catch {
      return {}
    }
  }

  /** Notices for the items that entered the window or expired since they were last told; returns those shown. */
  check(index: RadarIndex, c: Clocking): Notice[] {
    const said = this.read()
    const today = dayOf(c.now)
    const fresh: ExpiryItem[] = []
    const next: Record<string, Said> = {}
    const [start, end] = dueRows(index, c)
    for (let i = start; i < end; i++) {
      const item = itemAt(index, i, c)
      const state = item.state as Said['state']
      const before = said[item.key]
      if (before && (before.state === state || before.day === today)) next[item.key] = before
      else {
        fresh.push(item)
        next[item.key] = { state, day: today }
      }
    }
    const notices = fresh.length > MAX_SEPARATE_NOTICES ? [digest(fresh, today)] : fresh.map(noticeOf)
    if (fresh.length || Object.keys(said).length !== Object.keys(next).length) writeFileAtomic(this.file, JSON.stringify(next))
    for (const notice of notices) this.notify?.(notice)
    return notices
  }
}

function digest(items: ExpiryItem[], day: string): Notice {
  const expired = items.filter((i) => i.state === 'expired').length
  const expiring = items.length - expired
  const parts = [expired ? `${expired} expired` : '', expiring ? `${expiring} expiring soon` : ''].filter(Boolean)
  const names = items.slice(0, MAX_SEPARATE_NOTICES).map((i) => i.name)
  return {
    key: `expiry:digest:${day}`,
    title: `${items.length} certificates need renewing`,
    body: `${parts.join(', ')}: ${names.join(', ')} and ${items.length - names.length} more. Open the expiry radar to renew them.`,
  }
}
