/** `originCa:*`: each channel names its operation (declared in cloudflare/origin-ca.ts); a vault key's is the KeyService's. */
import { AppError } from '../../shared/errors'
import { checkOriginCaRoot, fetchCloudflareOriginCaRoots } from '../cloudflare/origin-ca-root'
import type { Handlers } from '../dispatch'
import type { Services } from '../services'
import type { Operation } from './cloudflare'

type Deps = Pick<Services, 'keys' | 'profiles' | 'sandbox' | 'fetch'>

/** The Origin CA root a profile's certificates chain to: the Sandbox's own, or Cloudflare's published ones. */
async function originCaRoot({ profiles, sandbox, fetch: fetchFn }: Deps, profileId: string) {
  // A stored profile or one of this process only (the CLI's CLOUDFLARE_API_TOKEN).
  const profile = profiles.get(profileId)
  if (profile.kind === 'sandbox') {
    const edge = (await sandbox.handle()).edge
    if (!edge) throw new AppError('internal', 'The Sandbox runs without its edge, which holds its Origin CA.')
    return { source: 'sandbox' as const, roots: [checkOriginCaRoot(edge.originCaPem, /Sandbox Origin CA/, 'The Sandbox Origin CA')] }
  }
  return { source: 'cloudflare' as const, roots: await fetchCloudflareOriginCaRoots(fetchFn ?? fetch) }
}

export const originCaHandlers = (operation: Operation, deps: Deps) =>
  ({
    'originCa:list': operation('originCa.list'),
    'originCa:get': operation('originCa.get'),
    'originCa:create': operation('originCa.create'),
    'originCa:createForKey': (request) => deps.keys.createOriginCaForKey(request),
    'originCa:root': ({ profileId }) => originCaRoot(deps, profileId),
    'originCa:revoke': operation('originCa.revoke'),
  }) satisfies Partial<Handlers>
