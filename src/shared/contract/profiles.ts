/**
 * `profiles:*`: the Cloudflare and Sandbox profiles (tokens stay in main's keychain).
 * `profiles:verify` calls Cloudflare and is declared with the Cloudflare channels.
 */
import { z } from 'zod'
import { Profile, ProfileAddRequest } from '../model'
import { NoInput, req } from './fields'

export const profilesContract = {
  'profiles:list': { request: NoInput, response: z.array(Profile) },
  'profiles:add': { request: ProfileAddRequest, response: Profile },
  'profiles:remove': { request: req({ id: z.uuid() }), response: z.object({ removed: z.boolean() }) },
} as const
