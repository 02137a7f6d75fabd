/** This machine's trust stores: list, find, install, remove, verify, and what a host presents. */
import type { Handlers } from '../dispatch'
import type { Services } from '../services'
import { withJob } from './job'

type TrustChannels = Pick<Handlers, Extract<keyof Handlers, `trust:${string}`>>

export function createTrustHandlers(services: Services): TrustChannels {
  const trust = services.trust
  return {
    'trust:stores': () => trust().describe(),
    'trust:list': ({ storeIds, jobId }, context) =>
      withJob(services.jobs, context, jobId, 'Reading trust stores', ({ onProgress }) =>
        trust().list(storeIds, onProgress && ((p) => onProgress({ done: p.done, total: p.total, message: p.label }))),
      ),
    'trust:find': ({ input, storeIds }) => trust().find(input, storeIds),
    'trust:install': ({ certificatePem, storeIds }) => trust().install(certificatePem, storeIds),
    'trust:remove': ({ input, storeIds }) => trust().remove(input, storeIds),
    'trust:verify': ({ input, host, storeIds }) => trust().verify(input, { ...(host ? { host } : {}), ...(storeIds ? { storeIds } : {}) }),
    'trust:probeHost': ({ host, port }) => trust().probeHost(host, port),
  }
}
