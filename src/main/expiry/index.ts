/** The expiry radar's engine (service.ts), its index (radar.ts), sources, cache and notifier. */
export { ExpiryService, type ExpiryServiceOptions, DEFAULT_CHECK_MS, DEFAULT_CONCURRENCY, DEFAULT_MAX_AGE_MS } from './service'
export { buildIndex, summarize, query, type Listing, type Entry, type RadarIndex } from './radar'
export { countingFetch, countRequests } from './requests'
