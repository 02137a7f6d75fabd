import { createHash, randomUUID } from 'node:crypto'
import { AppError } from '../../shared/errors'
import type { TokenIdentity } from '../../shared/cloudflare-model'
import type { AccountRef, Profile, ProfileAddRequest, ZoneRef } from '../../shared/model'
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
  /** What the caller already learnt of the token's reach, for names in messages. */
  accounts?: readonly AccountRef[] | undefined
  zones?: readonly ZoneRef[] | undefined
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
   * written to the profiles file or the keychain (the CLI's CLOUDFLARE_API_TOKEN). Its id is derived
   * from the token and base URL, so a create one process recorded is found again by the next one's
   * reconcile. Called again with accounts or zones, it learns their names (for messages) without the
   * requests a full verification makes.
   */
  transient(input: TransientProfileInput): Profile {
    const token = input.token.trim()
    if (!token || /\s/.test(token)) {
      throw new AppError('bad_input', 'The Cloudflare API token is empty or contains spaces.', {
        hint: 'Paste the token exactly as Cloudflare showed it.',
      })
    }
    const hex = createHash('sha256')
      .update(`certdesk-transient\0${input.baseUrl ?? ''}\0${token}`)
      .digest('hex')
    // An RFC 9562 version-8 (custom) UUID, so it passes the contract's uuid check.
    const id = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`
    const known: Profile = this.connections.isTransient(id)
      ? this.connections.profile(id)
      : {
          id,
          name: input.name ?? 'API token',
          kind: 'cloudflare',
          createdAt: new Date().toISOString(),
          accounts: [],
          zones: [],
          missingPermissions: [],
          tokenHint: token.slice(-4),
          ...(input.baseUrl ? { baseUrl: input.baseUrl } : {}),
        }
    const profile: Profile = {
      ...known,
      ...(input.accounts ? { accounts: input.accounts.map((a) => ({ id: a.id, name: a.name })) } : {}),
      ...(input.zones ? { zones: input.zones.map((z) => ({ id: z.id, name: z.name })) } : {}),
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
