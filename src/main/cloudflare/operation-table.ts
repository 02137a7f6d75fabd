/**
 * Every Cloudflare operation the app offers, joined from the surface modules that declare them next to
 * their SDK calls (`clientCertsOperations` in client-certificates.ts, …; what a row holds: operation.ts).
 * A new operation of an existing namespace needs nothing here.
 *
 * The table is joined on first use, never while modules load: errors.ts reads permissions through
 * `operation()` when a call fails, and the surface modules that declare the rows import errors.ts.
 */
import { accessOperations } from './access-mtls'
import { mtlsOperations } from './account-mtls'
import { clientCertsOperations } from './client-certificates'
import { gatewayOperations } from './gateway'
import { hostnamesOperations } from './hostnames'
import { originCaOperations } from './origin-ca'
import { aopOperations } from './origin-pulls'
import type { OperationSpec, RunKey, RunRequest, RunResponse } from './operation'
import { STEP_OPERATIONS, type Operation, type Permission, type StepKey } from './operations'
import { rulesOperations } from './rulesets'

export { COMPOSED_CHANNELS, keyOf, VAULT_KEY_CHANNELS } from './operation'
export type { ChannelOf, KeyOf, OperationChannel, RunKey, RunRequest, RunResponse } from './operation'

const join = () =>
  ({
    ...clientCertsOperations,
    ...hostnamesOperations,
    ...accessOperations,
    ...mtlsOperations,
    ...gatewayOperations,
    ...rulesOperations,
    ...aopOperations,
    ...originCaOperations,
  }) as const satisfies { [K in RunKey]: OperationSpec<RunRequest<K>, RunResponse<K>> }

export type OperationTable = ReturnType<typeof join>
let table: OperationTable | undefined

/** Every operation by its key. */
export function operationTable(): OperationTable {
  return (table ??= join())
}

/** Every key whose permission errors.ts can name: the table's operations and the steps without a channel. */
export type OperationKey = RunKey | StepKey

/**
 * The permission of an operation and the scope it applies on (an Access operation's account, unless the
 * caller says it ran on a zone).
 */
export function operation(key: OperationKey): Operation {
  if (key in STEP_OPERATIONS) return STEP_OPERATIONS[key as StepKey]
  const spec: { scope: 'zone' | 'account' | 'access'; permission: Permission } = operationTable()[key as RunKey]
  return { ...spec.permission, scope: spec.scope === 'access' ? 'account' : spec.scope }
}

/** The words of a change recorded as `cf.<key>` ("Revoked client certificate"), or undefined for any other action. */
export function operationWords(action: string): string | undefined {
  const key = action.startsWith('cf.') ? action.slice(3) : undefined
  if (!key || !Object.hasOwn(operationTable(), key)) return undefined
  const spec = operationTable()[key as RunKey] as { audit?: { words: string } }
  return spec.audit?.words
}
