/** `access:*`: each channel names its operation (declared in cloudflare/access-mtls.ts). */
import type { Handlers } from '../dispatch'
import { assertRootCaPasses } from '../lint/install-gate'
import type { Operation } from './cloudflare'

export const accessHandlers = (operation: Operation) =>
  ({
    'access:list': operation('access.list'),
    // The root-ca gate runs here, before any request: an expired root or a leaf is refused in words.
    'access:add': operation('access.add', (request) => assertRootCaPasses(request.certificatePem, request.name)),
    'access:updateHostnames': operation('access.updateHostnames'),
    'access:delete': operation('access.delete'),
    'access:settings': operation('access.settings'),
    'access:updateSettings': operation('access.updateSettings'),
  }) satisfies Partial<Handlers>
