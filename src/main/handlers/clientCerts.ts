/**
 * `clientCerts:*`: each channel names its operation (declared in cloudflare/client-certificates.ts); issuing for a
 * vault key is the KeyService's (generate, issue, link).
 */
import type { Handlers } from '../dispatch'
import type { Services } from '../services'
import type { Operation } from './cloudflare'

export const clientCertsHandlers = (operation: Operation, { issuer, keys }: Pick<Services, 'issuer' | 'keys'>) =>
  ({
    'clientCerts:list': operation('clientCerts.list'),
    'clientCerts:get': operation('clientCerts.get'),
    // Through the vault's intents, so a create exists at most once (cloudflare/issuance.ts runs the operation).
    'clientCerts:createFromCsr': ({ profileId, zoneId, ...request }) => issuer.issue(profileId, { zoneId }, request),
    'clientCerts:revoke': operation('clientCerts.revoke'),
    'clientCerts:reactivate': operation('clientCerts.reactivate'),
    'clientCerts:bulkRevoke': operation('clientCerts.bulkRevoke'),
    'clientCerts:issueForKey': (request) => keys.issueForKey(request),
  }) satisfies Partial<Handlers>
