/** `originCa:*`: each channel names its operation (declared in cloudflare/origin-ca.ts). */
import type { Handlers } from '../dispatch'
import type { Operation } from './cloudflare'

export const originCaHandlers = (operation: Operation) =>
  ({
    'originCa:list': operation('originCa.list'),
    'originCa:get': operation('originCa.get'),
    'originCa:create': operation('originCa.create'),
    'originCa:revoke': operation('originCa.revoke'),
  }) satisfies Partial<Handlers>
