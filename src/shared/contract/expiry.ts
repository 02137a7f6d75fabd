/**
 * `expiry:*`: the expiry radar. The summary (timeline, per surface, per source) is small at any scale; the items come
 * a page at a time, filtered by a bar of the chart, a surface or a state. Listings are cached in main and refreshed
 * incrementally (only stale sources), cancellable by job id.
 */
import { z } from 'zod'
import { ExpiryCount, ExpiryFilter, ExpiryPage, ExpirySummary } from '../expiry-model'
import { JobId, NoInput, req } from './fields'

export const expiryContract = {
  /** From the cache, at once (a refresh that is running shows in `refreshing` and per source). */
  'expiry:summary': { request: NoInput, response: ExpirySummary },
  'expiry:items': {
    request: req({
      ...ExpiryFilter.shape,
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(500).default(100),
    }),
    response: ExpiryPage,
  },
  /** Refresh the stale sources (all of them with `force`), then answer the summary. */
  'expiry:refresh': {
    request: req({ force: z.boolean().default(false), jobId: JobId.optional() }).optional(),
    response: ExpirySummary,
  },
  /** The sidebar's count: expired and expiring within the window. */
  'expiry:count': { request: NoInput, response: ExpiryCount },
} as const
