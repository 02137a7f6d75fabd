/**
 * The four Cloudflare channels that need a vault key, each a call into the KeyService.
 * Moved into clientCerts.ts / gateway.ts at merge (with contract/keys-cloudflare.ts).
 */
import type { Handlers } from '../dispatch'
import type { Services } from '../services'
import { withJob } from './job'

export type KeysCloudflareChannel = 'clientCerts:issueForKey' | 'gateway:generateRoot' | 'gateway:importRoot' | 'gateway:uploadRoot'

export function createKeysCloudflareHandlers({ keys, jobs }: Services): Pick<Handlers, KeysCloudflareChannel> {
  return {
    'clientCerts:issueForKey': (request) => keys.issueForKey(request),
    'gateway:generateRoot': ({ jobId, ...request }, context) =>
      withJob(jobs, context, jobId, 'Generating a Gateway root', (op) => keys.generateGatewayRoot(request, op)),
    'gateway:importRoot': (request) => keys.importGatewayRoot(request),
    'gateway:uploadRoot': ({ jobId, ...request }, context) =>
      withJob(jobs, context, jobId, 'Uploading the Gateway root', (op) => keys.uploadGatewayRoot(request, op)),
  }
}
