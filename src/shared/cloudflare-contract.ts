/**
 * `profiles:verify` (checks a profile's token with Cloudflare); the Cloudflare namespaces have one
 * contract file each under contract/. JobId is re-exported for the contracts that import it from here.
 */
import { TokenIdentity } from './cloudflare-model'
import { ProfileId, req } from './contract/fields'

export { JobId } from './contract/fields'

export const profileVerifyContract = {
  'profiles:verify': { request: req({ id: ProfileId }), response: TokenIdentity },
} as const
