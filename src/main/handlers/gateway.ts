/**
 * `gateway:*`: each channel of a verb runs its operation (declared in cloudflare/gateway.ts); generating,
 * importing and uploading a vault root are the KeyService's.
 */
import type { Handlers } from '../dispatch'
import type { Services } from '../services'
import { operationsOf, type Operation } from './cloudflare'
import { asJob } from './job'

export const gatewayHandlers = (operation: Operation, { keys, jobs }: Pick<Services, 'keys' | 'jobs'>) =>
  ({
    ...operationsOf(operation, 'gateway', [
      'list',
      'create',
      'activate',
      'watch',
      'useForInspection',
      'inspectionCertificate',
      'deactivate',
      'delete',
    ]),
    'gateway:generateRoot': asJob(jobs, 'Generating a Gateway root', (request, op) => keys.generateGatewayRoot(request, op)),
    'gateway:importRoot': (request) => keys.importGatewayRoot(request),
    'gateway:uploadRoot': asJob(jobs, 'Uploading the Gateway root', (request, op) => keys.uploadGatewayRoot(request, op)),
  }) satisfies Partial<Handlers>
