/**
 * `aop:*`: each channel names its operation (declared in cloudflare/origin-pulls.ts). Uploading a certificate with
 * its key has no channel here: the key comes from the vault or the CLI's files, never from the renderer.
 */
import type { Handlers } from '../dispatch'
import type { Operation } from './cloudflare'

export const aopHandlers = (operation: Operation) =>
  ({
    'aop:list': operation('aop.list'),
    'aop:hostname': operation('aop.hostname'),
    'aop:setEnabled': operation('aop.setEnabled'),
    'aop:associate': operation('aop.associate'),
    'aop:dissociate': operation('aop.dissociate'),
    'aop:delete': operation('aop.delete'),
  }) satisfies Partial<Handlers>
