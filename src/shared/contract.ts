/**
 * The IPC contract: every channel in channels.ts mapped to its request and response schema.
 * `satisfies` makes the compiler reject a channel without a schema or a schema without a channel.
 * Main validates with these; the renderer imports only the inferred types.
 */
import { z } from 'zod'
import type { Channel, EventName } from './channels'
import { ActivityEntry, ActivityQuery, AppInfo, Profile, ProfileAddRequest, Progress, Settings, SettingsPatch } from './model'
import { CertificateCheck, CertificateInput, LintProfileId, RuleInfo } from './lint-model'
import { JobId, profileVerifyContract } from './cloudflare-contract'
import { accessContract } from './contract/access'
import { clientCertsContract } from './contract/clientCerts'
import { gatewayContract } from './contract/gateway'
import { hostnamesContract } from './contract/hostnames'
import { mtlsContract } from './contract/mtls'
import { truststoreContract } from './truststore-contract'
import { pkiContract } from './pki-contract'

const NoInput = z.undefined()

interface ChannelSpec {
  request: z.ZodType
  response: z.ZodType
}

export const contract = {
  'app:info': { request: NoInput, response: AppInfo },
  'settings:get': { request: NoInput, response: Settings },
  'settings:set': { request: SettingsPatch, response: Settings },
  'profiles:list': { request: NoInput, response: z.array(Profile) },
  'profiles:add': { request: ProfileAddRequest, response: Profile },
  'profiles:remove': { request: z.object({ id: z.uuid() }).strict(), response: z.object({ removed: z.boolean() }) },
  'activity:list': { request: ActivityQuery.optional(), response: z.array(ActivityEntry) },
  'lint:check': {
    request: z
      .object({
        input: CertificateInput,
        profile: LintProfileId.default('auto'),
        expiringDays: z.number().int().min(1).max(3650).optional(),
      })
      .strict(),
    response: CertificateCheck,
  },
  'lint:rules': { request: NoInput, response: z.array(RuleInfo) },
  'jobs:cancel': { request: z.object({ jobId: JobId }).strict(), response: z.object({ cancelled: z.boolean() }) },
  /** Puts the built-in Sandbox account back to its demo seed. */
  'sandbox:reset': { request: NoInput, response: z.object({ reset: z.literal(true) }) },
  ...profileVerifyContract,
  ...clientCertsContract,
  ...hostnamesContract,
  ...accessContract,
  ...mtlsContract,
  ...gatewayContract,
  ...truststoreContract,
  ...pkiContract,
} as const satisfies { [C in Channel]: ChannelSpec }

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
