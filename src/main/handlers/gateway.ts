/**
 * `gateway:*` (generating, importing and uploading a vault root are in pki.ts): each channel names
 * its operation (cloudflare/operation-table.ts).
 */
import type { Handlers } from '../dispatch'
import type { Operation } from './cloudflare'

export const gatewayHandlers = (operation: Operation) =>
  ({
    'gateway:list': operation('gateway.list'),
    'gateway:create': operation('gateway.create'),
    'gateway:activate': operation('gateway.activate'),
    'gateway:watch': operation('gateway.watch'),
    'gateway:useForInspection': operation('gateway.useForInspection'),
    'gateway:inspectionCertificate': operation('gateway.inspectionCertificate'),
    'gateway:deactivate': operation('gateway.deactivate'),
    'gateway:delete': operation('gateway.delete'),
  }) satisfies Partial<Handlers>
