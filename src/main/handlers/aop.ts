/**
 * `aop:*`: each channel of a verb runs its operation (declared in cloudflare/origin-pulls.ts); issuing an AOP certificate and
 * uploading it with its key are the KeyService's: the key comes from the vault (or the CLI's files), never the renderer.
 */
import type { Handlers } from '../dispatch'
import type { Services } from '../services'
import { operationsOf, type Operation } from './cloudflare'
import { asJob } from './job'

export const aopHandlers = (operation: Operation, { keys, jobs }: Pick<Services, 'keys' | 'jobs'>) =>
  ({
    ...operationsOf(operation, 'aop', ['list', 'hostname', 'setEnabled', 'associate', 'dissociate', 'delete']),
    'aop:newCertificate': asJob(jobs, 'Issuing the AOP certificate', (request, op) => keys.newAopCertificate(request, op)),
    'aop:uploadFromVault': (request) => keys.uploadAop(request),
  }) satisfies Partial<Handlers>
