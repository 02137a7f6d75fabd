/**
 * `profiles:*`: the Cloudflare and Sandbox profiles (tokens stay in main's keychain).
 * `profiles:verify` checks a profile's token with Cloudflare and refreshes its accounts and zones.
 */
import { z } from 'zod'
import { TokenIdentity } from '../cloudflare-model'
import { Profile, ProfileAddRequest } from '../model'
import { NoInput, ProfileId, req } from './fields'

export const profilesContract = {
  'profiles:list': { request: NoInput, response: z.array(Profile) },
  'profiles:add': { request: ProfileAddRequest, response: Profile },
  'profiles:remove': { request: req({ id: ProfileId }), response: z.object({ removed: z.boolean() }) },
  'profiles:verify': { request: req({ id: ProfileId }), response: TokenIdentity },
} as const
