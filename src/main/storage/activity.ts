/**
 * The activity log: one JSON object per line, append-only, so a crash mid-write can cost at most
 * the last line and never earlier history. Entries say who did what to which object (name and id),
 * under which profile, and how it ended (with the reason when it failed or was cancelled); callers
 * pass identifiers and outcomes, never tokens, keys or passwords, and reasons are redacted anyway.
 */
import { appendFileSync, closeSync, mkdirSync, openSync, readFileSync, readSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { userInfo } from 'node:os'
import { actionWords, activitySearchText } from '../../shared/activity'
import { ActivityEntry, type ActivityQuery, type ActivityRow } from '../../shared/model'
import { redact } from '../log'

export type ActivityInput = Omit<ActivityEntry, 'at' | 'actor' | 'outcome'> & { outcome?: ActivityEntry['outcome'] }

function currentUser(): string {
  try {
    return userInfo().username
  } catch {
    return 'unknown'
  }
}

export class ActivityLog {
  readonly path: string
  private readonly actor = currentUser()
  /** Checked once: whether an earlier crash left the file without its final newline. */
  private tailChecked = false

  constructor(
    dir: string,
    /** The profile's name for an id, so an entry still names its profile after the profile is removed. */
    private readonly profileName: (profileId: string) => string | undefined = () => undefined,
    /** An action in words: the composition root adds the Cloudflare operations' own (operationWords). */
    private readonly words: (action: string) => string = actionWords,
  ) {
    this.path = join(dir, 'activity.jsonl')
  }

  record(input: ActivityInput): ActivityEntry {
    const profile = input.profile ?? (input.profileId ? this.profileName(input.profileId) : undefined)
    const reason = input.reason === undefined ? undefined : redact(input.reason).slice(0, 500)
    const entry = ActivityEntry.parse({
      outcome: 'ok',
      ...input,
      ...(profile === undefined ? {} : { profile }),
      ...(reason === undefined ? {} : { reason }),
      at: new Date().toISOString(),
      actor: this.actor,
    })
    mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 })
    // A torn last line must not swallow the entry written after it: start on a fresh line.
    const prefix = this.tailChecked || this.endsWithNewline() ? '' : '\n'
    this.tailChecked = true
    appendFileSync(this.path, `${prefix}${JSON.stringify(entry)}\n`, { mode: 0o600 })
    return entry
  }

  private endsWithNewline(): boolean {
    let size: number
    try {
      size = statSync(this.path).size
    } catch {
      return true
    }
    if (size === 0) return true
    const fd = openSync(this.path, 'r')
    try {
      const last = Buffer.alloc(1)
      readSync(fd, last, 0, 1, size - 1)
      return last[0] === 0x0a
    } finally {
      closeSync(fd)
    }
  }

  /** Entries about these objects (objectId or detail.keyId), oldest first, as stored: what a vault backup carries. */
  about(ids: ReadonlySet<string>): ActivityEntry[] {
    return this.list({ limit: Number.MAX_SAFE_INTEGER })
      .filter((row) => ids.has(row.objectId ?? '') || ids.has(String(row.detail?.['keyId'] ?? '')))
      .map(({ words: _words, ...entry }) => entry)
      .reverse()
  }

  /** Puts back entries from a backup, oldest first, skipping those already here (same time, action and object). */
  restore(entries: readonly ActivityEntry[]): number {
    const seen = new Set(this.list({ limit: Number.MAX_SAFE_INTEGER }).map((e) => `${e.at}|${e.action}|${e.objectId ?? ''}`))
    const fresh = entries.filter((e) => !seen.has(`${e.at}|${e.action}|${e.objectId ?? ''}`))
    if (!fresh.length) return 0
    mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 })
    const prefix = this.endsWithNewline() ? '' : '\n'
    appendFileSync(this.path, prefix + fresh.map((e) => `${JSON.stringify(ActivityEntry.parse(e))}\n`).join(''), { mode: 0o600 })
    return fresh.length
  }

  /** Newest first, with each action in words. Lines that fail to parse (a torn last write, a hand edit) are skipped, not fatal. */
  list(query: ActivityQuery = {}): ActivityRow[] {
    let text: string
    try {
      text = readFileSync(this.path, 'utf8')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []
      throw error
    }
    const limit = query.limit ?? 500
    const needle = query.text?.toLowerCase()
    const out: ActivityRow[] = []
    const lines = text.split('\n')
    for (let i = lines.length - 1; i >= 0 && out.length < limit; i--) {
      const line = lines[i]
      if (!line) continue
      let entry: ActivityEntry
      try {
        const parsed = ActivityEntry.safeParse(JSON.parse(line))
        if (!parsed.success) continue
        entry = parsed.data
      } catch {
        continue
      }
      if (query.action && !entry.action.startsWith(query.action)) continue
      const words = this.words(entry.action)
      if (needle && !activitySearchText(entry, words).includes(needle)) continue
      out.push({ ...entry, words })
    }
    return out
  }
}
