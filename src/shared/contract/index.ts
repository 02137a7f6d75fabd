/**
 * The IPC contract: every channel in channels.ts mapped to its request and response schema, one
 * file per namespace (`contract/<namespace>.ts`, named like the channels' first word).
 * The compiler rejects a channel without a schema (`satisfies`) and a schema without a channel (`Unlisted`).
 * Main validates with these; the renderer imports only the inferred types.
 */
import type { z } from 'zod'
import type { Channel, EventName } from '../channels'
import { Progress } from '../model'
import { activityContract } from './activity'
import { appContract } from './app'
import { certificatesContract } from './certificates'
import { jobsContract } from './jobs'
import { clientCertsContract } from './clientCerts'
import { hostnamesContract } from './hostnames'
import { accessContract } from './access'
import { mtlsContract } from './mtls'
import { gatewayContract } from './gateway'
import { keysContract } from './keys'
import { lintContract } from './lint'
import { profilesContract } from './profiles'
import { sandboxContract } from './sandbox'
import { settingsContract } from './settings'
import { trustContract } from './trust'
import { rulesContract } from './rules'
import { aopContract } from './aop'
import { originCaContract } from './originCa'
import { reportsContract } from './reports'
import { rolloverContract } from './rollover'
import { expiryContract } from './expiry'
import { fleetContract } from './fleet'
import { runtimesContract } from './runtimes'
import { vaultContract } from './vault'

interface ChannelSpec {
  request: z.ZodType
  response: z.ZodType
}

export const contract = {
  ...appContract,
  ...settingsContract,
  ...profilesContract,
  ...activityContract,
  ...jobsContract,
  ...sandboxContract,
  ...lintContract,
  ...clientCertsContract,
  ...hostnamesContract,
  ...accessContract,
  ...mtlsContract,
  ...gatewayContract,
  ...trustContract,
  ...keysContract,
  ...certificatesContract,
  ...rulesContract,
  ...aopContract,
  ...originCaContract,
  ...reportsContract,
  ...rolloverContract,
  ...expiryContract,
  ...fleetContract,
  ...runtimesContract,
  ...vaultContract,
} as const satisfies Record<`${string}:${string}`, ChannelSpec>

/** Every channel, in the contract's order: main registers these, and the preload's bundle holds the same list. */
export const CHANNELS = Object.keys(contract) as Channel[]

export const eventContract = {
  progress: Progress,
} as const satisfies { [E in EventName]: z.ZodType }

export type Contract = typeof contract
/** What the caller passes (defaults not yet applied). */
export type RequestOf<C extends Channel> = z.input<Contract[C]['request']>
/** What the handler receives (after parsing). */
export type ParsedRequestOf<C extends Channel> = z.output<Contract[C]['request']>
export type ResponseOf<C extends Channel> = z.output<Contract[C]['response']>
export type EventPayloadOf<E extends EventName> = z.output<(typeof eventContract)[E]>
