/**
 * The radar's cached listings, one file per source under the user-data folder (`expiry/sources/<hash>.json`, 0600),
 * so the radar shows at start-up without a request and a refresh reads only what is stale. A listing that cannot be
 * read is dropped (it is a cache: the next refresh fetches it again).
 */
import { createHash } from 'node:crypto'
import { readdir, readFile, rm } from 'node:fs/promises'
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
  private readonly listings = new Map<string, CachedListing>()
  private loading: Promise<void> | undefined

  constructor(userDataDir: string) {
    this.dir = join(userDataDir, 'expiry', 'sources')
  }

  private file(key: string): string {
    return join(this.dir, `${createHash('sha256').update(key).digest('hex').slice(0, 32)}.json`)
  }

  /** Reads every cached listing once, a file per event-loop turn (10,000 certificates parse in a few ms). */
  load(): Promise<void> {
    return (this.loading ??= this.read())
  }

  private async read(): Promise<void> {
    const names = await readdir(this.dir).catch(() => [] as string[])
    for (const name of names.filter((n) => n.endsWith('.json'))) {
      const path = join(this.dir, name)
      try {
        const value: unknown = JSON.parse(await readFile(path, 'utf8'))
        if (valid(value)) this.listings.set(value.key, value)
        else await rm(path, { force: true })
      } catch {
        await rm(path, { force: true })
      }
    }
  }

  /** A listing (after load()). */
  get(key: string): CachedListing | undefined {
    return this.listings.get(key)
  }

  put(listing: CachedListing): void {
    this.listings.set(listing.key, listing)
    writeFileAtomic(this.file(listing.key), JSON.stringify(listing))
  }
}
