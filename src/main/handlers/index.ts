/**
 * The contract's implementation, one file per channel namespace (`handlers/<namespace>.ts`, like
 * `shared/contract/<namespace>.ts`); each channel is a thin call into a service.
 * Requests arrive validated by dispatch.ts; responses are re-validated there.
 */
import type { Channel } from '../../shared/channels'
import type { Handlers } from '../dispatch'
import type { Services } from '../services'
import { createActivityHandlers } from './activity'
import { createAppHandlers } from './app'
import { createCertificatesHandlers } from './certificates'
import { createCloudflareHandlers } from './cloudflare'
import { createJobsHandlers } from './jobs'
import { createKeysHandlers } from './keys'
import { createLintHandlers } from './lint'
import { createProfilesHandlers } from './profiles'
import { createSandboxHandlers } from './sandbox'
import { createSettingsHandlers } from './settings'
import { createTrustHandlers } from './trust'
import { createRulesHandlers } from './rules'
import { createReportsHandlers } from './reports'
import { createRolloverHandlers } from './rollover'
import { createExpiryHandlers } from './expiry'
import { createFleetHandlers } from './fleet'
import { createRuntimesHandlers } from './runtimes'
import { createVaultHandlers } from './vault'

/** The handlers of every channel of one namespace, e.g. `HandlersOf<'trust'>`. */
export type HandlersOf<N extends string> = Pick<Handlers, Extract<Channel, `${N}:${string}`>>

/** Every namespace's handlers; adding a namespace is one line here. */
const NAMESPACES = [
  createAppHandlers,
  createSettingsHandlers,
  createProfilesHandlers,
  createActivityHandlers,
  createJobsHandlers,
  createSandboxHandlers,
  createLintHandlers,
  createCloudflareHandlers,
  createTrustHandlers,
  createKeysHandlers,
  createCertificatesHandlers,
  createRulesHandlers,
  createReportsHandlers,
  createRolloverHandlers,
  createExpiryHandlers,
  createFleetHandlers,
  createRuntimesHandlers,
  createVaultHandlers,
] as const

type Intersection<U> = (U extends unknown ? (part: U) => void : never) extends (whole: infer I) => void ? I : never

export function createHandlers(services: Services): Handlers {
  // Typed as all the parts together: a channel no namespace handles fails to compile here.
  const handlers: Intersection<ReturnType<(typeof NAMESPACES)[number]>> = Object.assign({}, ...NAMESPACES.map((create) => create(services)))
  return handlers
}
