import { randomUUID } from 'node:crypto'
import { AppError } from '../../shared/errors'
import type { TokenIdentity } from '../../shared/cloudflare-model'
import type { Profile, ProfileAddRequest } from '../../shared/model'
import type { CloudflareService } from '../cloudflare'
import { registerSecret } from '../log'
import type { SecretStore } from '../secrets/keychain'
import { tokenAccount, type Connection, type ProfileConnections } from './connections'
import type { ActivityLog } from '../storage/activity'
import type { ProfileStore } from '../storage/profiles'
import { ProfileAddRequest as ProfileAddSchema } from '../../shared/model'

export { tokenAccount } from './connections'

/** A profile for this process only: a token (and a Sandbox URL) given on the command line or in the environment. */
export interface TransientProfileInput {
  token: string
  baseUrl?: string | undefined
  name?: string | undefined
}

export class ProfileService {
  constructor(
    private readonly store: ProfileStore,
    private readonly secrets: SecretStore,
    private readonly activity: ActivityLog,
    private readonly connections: ProfileConnections,
    /** Verifies a profile's token with Cloudflare (or the Sandbox) and discovers its accounts and zones; drops its cached client. */
    private readonly cloudflare: Pick<CloudflareService, 'identity' | 'forget'>,
  ) {}

  /** Base URL and token for a profile's API calls (main process only). */
  async connection(id: string): Promise<Connection> {
    const { baseUrl, token } = await this.connections.connect(id)
    return { baseUrl, token }
  }

  /** The stored profiles (transient ones are not listed). */
  list(): Profile[] {
    return this.store.list()
  }

  get(id: string): Profile {
    return this.connections.profile(id)
  }

  /** The token, for main-process API calls only. Never returned over IPC. */
  token(id: string): Promise<string> {
    return this.connections.token(id)
  }

  /**
   * An in-memory Cloudflare profile usable wherever a profile id is, for this process only: never
   * written to the profiles file or the keychain (the CLI's CLOUDFLARE_API_TOKEN).
   */
  transient(input: TransientProfileInput): Profile {
    const token = input.token.trim()
    if (!token || /\s/.test(token)) {
      throw new AppError('bad_input', 'The Cloudflare API token is empty or contains spaces.', {
        hint: 'Paste the token exactly as Cloudflare showed it.',
      })
    }
    const profile: Profile = {
      id: randomUUID(),
      name: input.name ?? 'API token',
      kind: 'cloudflare',
      createdAt: new Date().toISOString(),
      accounts: [],
      zones: [],
      missingPermissions: [],
      tokenHint: token.slice(-4),
      ...(input.baseUrl ? { baseUrl: input.baseUrl } : {}),
    }
    this.connections.addTransient(profile, token)
    return profile
  }

  async add(input: ProfileAddRequest): Promise<Profile> {
    const request = ProfileAddSchema.parse(input)
    // From here on the log redacts this token exactly, whatever its length.
    if (request.kind === 'cloudflare') registerSecret(request.token)
    if (request.kind === 'sandbox' && this.store.list().some((p) => p.kind === 'sandbox')) {
      throw new AppError('conflict', 'There is already a Sandbox profile.', {
        hint: 'Select it in Settings; reset its data from there if you want a fresh start.',
      })
    }
    const profile: Profile = {
      id: randomUUID(),
      name: request.name,
      kind: request.kind,
      createdAt: new Date().toISOString(),
      accounts: [],
      zones: [],
      missingPermissions: [],
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
    // A profile is kept only once its token is verified: a rejected token leaves nothing behind.
    let verified: Profile
    try {
      verified = await this.refreshIdentity(profile.id).then(() => this.store.get(profile.id))
    } catch (error) {
      this.store.remove(profile.id)
      if (request.kind === 'cloudflare') await this.secrets.delete(tokenAccount(profile.id))
      this.cloudflare.forget(profile.id)
      this.activity.record({
        action: 'profile.add',
        target: profile.name,
        objectName: profile.name,
        profile: profile.name,
        outcome: 'failed',
        reason: error instanceof AppError ? error.message : 'An unexpected error (see the app log).',
        detail: { kind: profile.kind },
      })
      throw error
    }
    this.activity.record({
      action: 'profile.add',
      target: profile.name,
      objectId: profile.id,
      objectName: profile.name,
      profileId: profile.id,
      detail: {
        kind: profile.kind,
        accounts: verified.accounts.length,
        zones: verified.zones.length,
        missing: verified.missingPermissions.join(', ') || null,
      },
    })
    return verified
  }

  /** Verifies the token again and keeps what it can reach and which permissions it lacks. */
  async refreshIdentity(id: string): Promise<TokenIdentity> {
    const identity = await this.cloudflare.identity(id)
    const update = (p: Profile): Profile => ({
      ...p,
      accounts: identity.accounts,
      zones: identity.zones.map((z) => ({ id: z.id, name: z.name })),
      missingPermissions: identity.missing,
      verifiedAt: new Date().toISOString(),
    })
    if (this.connections.isTransient(id)) this.connections.updateTransient(id, update)
    else this.store.update(id, update)
    return identity
  }

  async remove(id: string): Promise<boolean> {
    const profile = this.store.list().find((p) => p.id === id)
    if (!profile) return false
    await this.secrets.delete(tokenAccount(id))
    this.cloudflare.forget(id)
    const removed = this.store.remove(id)
    this.activity.record({
      action: 'profile.remove',
      target: profile.name,
      objectId: id,
      objectName: profile.name,
      profileId: id,
      profile: profile.name,
    })
    return removed
  }
}
