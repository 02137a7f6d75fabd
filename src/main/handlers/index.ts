/**
 * The contract's implementation, one file per domain; each channel is a thin call into a service.
 * Requests arrive validated by dispatch.ts; responses are re-validated there.
 */
import type { Handlers } from '../dispatch'
import type { Services } from '../services'
import { createCloudflareHandlers } from './cloudflare'
import { createFoundationHandlers } from './foundation'
import { createPkiHandlers } from './pki'
import { createTrustHandlers } from './truststore'

export function createHandlers(services: Services): Handlers {
  return {
    ...createFoundationHandlers(services),
    ...createCloudflareHandlers(services),
    ...createTrustHandlers(services),
    ...createPkiHandlers(services),
  }
}
