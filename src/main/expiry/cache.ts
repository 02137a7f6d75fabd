/**
 * The radar's cached listings, one file per source under the user-data folder (`expiry/sources/<hash>.json`, 0600),
 * so the radar shows at start-up without a request and a refresh reads only what is stale. A listing that cannot be
 * read is dropped (it is a cache: the next refresh fetches it again).
 */
import { createHash } from 'node:crypto'
import { readdirSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import type { ErrorMessage } from '../../shared/model'
import { writeFileAtomic } from '../storage/json-file'
import type { Entry } from './radar'

export interface CachedListing {
  key: string
  /** ms since the epoch of the last successful fetch. */
  fetchedAt?: number
  /** Requests the last refresh made. */
  requests: number
  /** Why the last refresh failed; the entries are from the fetch before it. */
  error?: ErrorMessage
  entries: Entry[]
}

function valid(value: unknown): value is CachedListing {
  const v = value as CachedListing
  return typeof v === 'object' && v !== null && typeof v.key === 'string' && Array.isArray(v.entries) && typeof v.requests === 'number'
}

export class ListingCache {
  private readonly dir: string
  private loaded: Map<string, CachedListing> | undefined

  constructor(userDataDir: string) {
    this.dir = join(userDataDir, 'expiry', 'sources')
  }

  private file(key: string): string {
    return join(this.dir, `${createHash('sha256').update(key).digest('hex').slice(0, 32)}.json`)
  }

  /** Every cached listing by source key (read from disk once). */
  all(): Map<string, CachedListing> {
    if (this.loaded) return this.loaded
    const loaded = new Map<string, CachedListing>()
    let names: string[] = []
    try {
      names = readdirSync(this.dir).filter((n) => n.endsWith('.json'))
    } catch {
      // No cache yet.
    }
    for (const name of names) {
      try {
        const value: unknown = JSON.parse(readFileSync(join(this.dir, name), 'utf8'))
        if (valid(value)) loaded.set(value.key, value)
        else rmSync(join(this.dir, name), { force: true })
      } catch {
        rmSync(join(this.dir, name), { force: true })
      }
    }
    return (this.loaded = loaded)
  }

  get(key: string): CachedListing | undefined {
    return this.all().get(key)
  }

  put(listing: CachedListing): void {
    this.all().set(listing.key, listing)
    writeFileAtomic(this.file(listing.key), JSON.stringify(listing))
  }
}
