/**
 * A Cloudflare channel's handler names its operation and nothing else: `operation('mtls.delete')`
 * runs it through CloudflareService.run, as a job when the operation is long and the renderer gave
 * a job id. The namespaces' handler files (clientCerts.ts, hostnames.ts, access.ts, mtls.ts,
 * gateway.ts) are joined here.
 */
import type { ChannelOf, KeyOf, OperationChannel, RunRequest } from '../cloudflare/operation'
import type { CallContext, Handlers } from '../dispatch'
import type { Services } from '../services'
import { accessHandlers } from './access'
import { aopHandlers } from './aop'
import { clientCertsHandlers } from './clientCerts'
import { gatewayHandlers } from './gateway'
import { hostnamesHandlers } from './hostnames'
import { withJob } from './job'
import { mtlsHandlers } from './mtls'
import { originCaHandlers } from './originCa'

/** The operations that have a channel of their own. */
type ChannelKey = KeyOf<OperationChannel>

/** The handler of channel `ns:verb` for operation `ns.verb`; `check` runs first (a gate before any request). */
export type Operation = <K extends ChannelKey>(
  key: K,
  check?: (request: RunRequest<K>) => void,
) => Handlers[ChannelOf<K> & OperationChannel]

export function operationHandlers(services: Pick<Services, 'cloudflare' | 'jobs'>): Operation {
  const { cloudflare, jobs } = services
  return <K extends ChannelKey>(key: K, check?: (request: RunRequest<K>) => void) => {
    const handler = async (request: RunRequest<K> & { jobId?: string }, context: CallContext) => {
      check?.(request)
      const label = cloudflare.jobLabel(key, request)
      if (!label) return cloudflare.run(key, request)
      return withJob(jobs, context, request.jobId, label, (op) => cloudflare.run(key, request, op))
    }
    return handler as unknown as Handlers[ChannelOf<K> & OperationChannel]
  }
}

/** The verbs of namespace `N` whose channel `N:verb` runs operation `N.verb` and nothing else. */
type OperationVerb<N extends string> = ChannelKey extends infer K ? (K extends `${N}.${infer V}` ? V : never) : never

/** One handler a verb: `operationsOf(operation, 'aop', ['list', 'delete'])` is `{ 'aop:list': …, 'aop:delete': … }`. */
export function operationsOf<N extends string, V extends OperationVerb<N>>(operation: Operation, namespace: N, verbs: readonly V[]) {
  const entries = verbs.map((verb) => [`${namespace}:${verb}`, operation(`${namespace}.${verb}` as ChannelKey)])
  return Object.fromEntries(entries) as { [C in `${N}:${V}`]: Handlers[C & OperationChannel] }
}

/** Every Cloudflare namespace's channels. */
export function createCloudflareHandlers(services: Services) {
  const operation = operationHandlers(services)
  return {
    ...clientCertsHandlers(operation, services),
    ...hostnamesHandlers(operation),
    ...accessHandlers(operation),
    ...mtlsHandlers(operation),
    ...gatewayHandlers(operation, services),
    ...aopHandlers(operation, services),
    ...originCaHandlers(operation, services),
  } satisfies Partial<Handlers>
}
