/** `expiry:*`: the expiry radar (main/expiry). */
import type { Services } from '../services'
import type { HandlersOf } from './index'
import { withJob } from './job'

export function createExpiryHandlers({ expiry, jobs }: Services): HandlersOf<'expiry'> {
  return {
    'expiry:summary': () => expiry.summary(),
    'expiry:items': (request) => expiry.items(request),
    'expiry:refresh': (request, context) =>
      withJob(jobs, context, request?.jobId, 'Refreshing the expiry radar', (operation) =>
        expiry.refresh({ force: request?.force }, operation),
      ),
    'expiry:count': () => expiry.count(),
  }
}
