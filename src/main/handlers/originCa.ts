/** `originCa:*`: each channel names its operation (declared in cloudflare/origin-ca.ts); a vault key's is the KeyService's. */
import type { Handlers } from '../dispatch'
import type { Services } from '../services'
import type { Operation } from './cloudflare'

export const originCaHandlers = (operation: Operation, { keys }: Pick<Services, 'keys'>) =>
  ({
    'originCa:list': operation('originCa.list'),
    'originCa:get': operation('originCa.get'),
    'originCa:create': operation('originCa.create'),
    'originCa:createForKey': (request) => keys.createOriginCaForKey(request),
    'originCa:revoke': operation('originCa.revoke'),
  }) satisfies Partial<Handlers>
