/**
 * `gateway:*`: each channel names its operation (declared in cloudflare/gateway.ts); generating,
 * importing and uploading a vault root are the KeyService's.
 */
import type { Handlers } from '../dispatch'
import type { Services } from '../services'
import type { Operation } from './cloudflare'
import { asJob } from './job'

export const gatewayHandlers = (operation: Operation, { keys, jobs }: Pick<Services, 'keys' | 'jobs'>) =>
  ({
    'gateway:list': operation('gateway.list'),
    'gateway:create': operation('gateway.create'),
    'gateway:activate': operation('gateway.activate'),
    'gateway:watch': operation('gateway.watch'),
    'gateway:useForInspection': operation('gateway.useForInspection'),
    'gateway:inspectionCertificate': operation('gateway.inspectionCertificate'),
    'gateway:deactivate': operation('gateway.deactivate'),
    'gateway:delete': operation('gateway.delete'),
    'gateway:generateRoot': asJob(jobs, 'Generating a Gateway root', (request, op) => keys.generateGatewayRoot(request, op)),
    'gateway:importRoot': (request) => keys.importGatewayRoot(request),
    'gateway:uploadRoot': asJob(jobs, 'Uploading the Gateway root', (request, op) => keys.uploadGatewayRoot(request, op)),
  }) satisfies Partial<Handlers>
