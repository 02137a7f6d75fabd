import { randomUUID } from 'node:crypto'
import { AppError } from '../../shared/errors'
import type { Profile, ProfileAddRequest } from '../../shared/model'
import type { SecretStore } from '../secrets/keychain'
import { connectionFor, type Connection, type SandboxHost } from './connections'
import type { ActivityLog } from '../storage/activity'
import type { ProfileStore } from '../storage/profiles'
import { ProfileAddRequest as ProfileAddSchema } from '../../shared/model'

/** The keychain account name for a profile's API token. */
export const tokenAccount = (profileId: string): string => `profile:${profileId}:token`

export class ProfileService {
  constructor(
    private readonly store: ProfileStore,
    private readonly secrets: SecretStore,
    private readonly activity: ActivityLog,
    private readonly sandbox: SandboxHost,
  ) {}

  /** Base URL and token for a profile's API calls (main process only). */
  async connection(id: string): Promise<Connection> {
    const profile = this.store.get(id)
    return connectionFor(profile, () => this.token(id), this.sandbox)
  }

  list(): Profile[] {
    return this.store.list()
  }

  get(id: string): Profile {
    return this.store.get(id)
  }

  /** The token, for main-process API calls only. Never returned over IPC. */
  async token(id: string): Promise<string> {
    const profile = this.store.get(id)
    const token = await this.secrets.get(tokenAccount(profile.id))
    if (!token) {
      throw new AppError('keychain_entry_missing', `The API token for "${profile.name}" is missing from the system keychain.`, {
        hint: 'Remove the profile and add it again with a new token.',
      })
    }
    return token
  }

  async add(input: ProfileAddRequest): Promise<Profile> {
    const request = ProfileAddSchema.parse(input)
    if (request.kind === 'sandbox' && this.store.list().some((p) => p.kind === 'sandbox')) {
      throw new AppError('conflict', 'There is already a Sandbox profile.', { hint: 'Select it in Settings; reset its data from there if you want a fresh start.' })
    }
    const profile: Profile = {
      id: randomUUID(),
      name: request.name,
      kind: request.kind,
      createdAt: new Date().toISOString(),
      accounts: [],
      zones: [],
      ...(request.kind === 'cloudflare' ? { tokenHint: request.token.slice(-4) } : {}),
    }
    if (request.kind === 'cloudflare') {
      // Keychain first: if it is unavailable, no profile is left behind without its token.
      await this.secrets.set(tokenAccount(profile.id), request.token)
    }
    try {
      this.store.add(profile)
    } catch (error) {
      if (request.kind === 'cloudflare') await this.secrets.delete(tokenAccount(profile.id))
      throw error
    }
    this.activity.record({ action: 'profile.add', target: profile.name, profileId: profile.id, detail: { kind: profile.kind } })
    return profile
  }

  async remove(id: string): Promise<boolean> {
    const profile = this.store.list().find((p) => p.id === id)
    if (!profile) return false
    await this.secrets.delete(tokenAccount(id))
    const removed = this.store.remove(id)
    this.activity.record({ action: 'profile.remove', target: profile.name, profileId: id })
    return removed
  }
}
