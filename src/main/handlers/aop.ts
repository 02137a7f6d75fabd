/**
 * `aop:*`: each channel names its operation (declared in cloudflare/origin-pulls.ts); issuing an AOP certificate and
 * uploading it with its key are the KeyService's: the key comes from the vault (or the CLI's files), never the renderer.
 */
import type { Handlers } from '../dispatch'
import type { Services } from '../services'
import type { Operation } from './cloudflare'
import { asJob } from './job'

export const aopHandlers = (operation: Operation, { keys, jobs }: Pick<Services, 'keys' | 'jobs'>) =>
  ({
    'aop:list': operation('aop.list'),
    'aop:hostname': operation('aop.hostname'),
    'aop:setEnabled': operation('aop.setEnabled'),
    'aop:associate': operation('aop.associate'),
    'aop:dissociate': operation('aop.dissociate'),
    'aop:delete': operation('aop.delete'),
    'aop:newCertificate': asJob(jobs, 'Issuing the AOP certificate', (request, op) => keys.newAopCertificate(request, op)),
    'aop:uploadFromVault': (request) => keys.uploadAop(request),
  }) satisfies Partial<Handlers>
