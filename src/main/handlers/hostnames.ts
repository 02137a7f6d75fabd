/** `hostnames:*`: each channel names its operation (declared in cloudflare/hostnames.ts). */
import type { Handlers } from '../dispatch'
import type { Operation } from './cloudflare'

export const hostnamesHandlers = (operation: Operation) =>
  ({
    'hostnames:get': operation('hostnames.get'),
    'hostnames:plan': operation('hostnames.plan'),
    'hostnames:replace': operation('hostnames.replace'),
  }) satisfies Partial<Handlers>
