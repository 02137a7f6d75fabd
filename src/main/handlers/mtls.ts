/** `mtls:*`: each channel names its operation (declared in cloudflare/account-mtls.ts). */
import type { Handlers } from '../dispatch'
import type { Operation } from './cloudflare'

export const mtlsHandlers = (operation: Operation) =>
  ({
    'mtls:list': operation('mtls.list'),
    'mtls:upload': operation('mtls.upload'),
    'mtls:associations': operation('mtls.associations'),
    'mtls:delete': operation('mtls.delete'),
  }) satisfies Partial<Handlers>
