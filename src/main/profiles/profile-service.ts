import { createHash, randomUUID } from 'node:crypto'
import { AppError } from '../../shared/errors'
import type { TokenIdentity } from '../../shared/cloudflare-model'
import type { AccountRef, Profile, ProfileAddRequest, ZoneRef } from '../../shared/model'
import { registerSecret } from '../log'
import type { SecretStore } from '../secrets/keychain'
import { connectionFor, type Connection, type SandboxHost } from './connections'
import type { ActivityLog } from '../storage/activity'
import type { ProfileStore } from '../storage/profiles'
import { ProfileAddRequest as ProfileAddSchema } from '../../shared/model'

/** The keychain account name for a profile's API token. */
export const tokenAccount = (profileId: string): string => `profile:${profileId}:token`

export class ProfileService {
  /** In-memory profiles for one process (the CLI's CLOUDFLARE_API_TOKEN), never written to disk or the keychain. */
  private readonly transients = new Map<string, { profile: Profile; token: string }>()

  constructor(
    private readonly store: ProfileStore,
    private readonly secrets: SecretStore,
    private readonly activity: ActivityLog,
    private readonly sandbox: SandboxHost,
    /** Verifies a profile's token with Cloudflare (or the Sandbox) and discovers its accounts and zones. */
    private readonly identify: (profileId: string) => Promise<TokenIdentity>,
    /** Where a Cloudflare profile's calls go (tests point it at a Sandbox). */
    private readonly cloudflareApiUrl?: string,
    /** Drops anything cached for a profile (its API client). */
    private readonly forget: (profileId: string) => void = () => {},
  ) {}

  /**
   * A profile for a token given to this process only (the CLI's CLOUDFLARE_API_TOKEN): kept in memory,
   * never persisted. Its id is derived from the token and base URL, so a create recorded by one process
   * is found again by the next one's reconcile. Called again with accounts or zones, it learns their
   * names (for messages) without the requests a full verification makes.
   */
  transient(input: { token: string; baseUrl?: string; name?: string; accounts?: AccountRef[]; zones?: ZoneRef[] }): Profile {
    const token = input.token.trim()
    registerSecret(token)
    const hex = createHash('sha256')
      .update(`certdesk-transient\0${input.baseUrl ?? ''}\0${token}`)
      .digest('hex')
    // An RFC 9562 version-8 (custom) UUID, so it passes the contract's uuid check.
    const id = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`
    const known = this.transients.get(id)?.profile ?? {
      id,
      name: input.name ?? 'CLOUDFLARE_API_TOKEN',
      kind: 'cloudflare',
      createdAt: new Date().toISOString(),
      tokenHint: token.slice(-4),
      accounts: [],
      zones: [],
      missingPermissions: [],
      ...(input.baseUrl ? { baseUrl: input.baseUrl } : {}),
    }
    const profile: Profile = {
      ...known,
      ...(input.accounts ? { accounts: input.accounts.map((a) => ({ id: a.id, name: a.name })) } : {}),
      ...(input.zones ? { zones: input.zones.map((z) => ({ id: z.id, name: z.name })) } : {}),
    }
    this.transients.set(id, { profile, token })
    return profile
  }

  /** A zone of the profile, named for messages ("… on zone example.com"); the id alone when unknown. */
  zoneScope(profileId: string, zoneId: string): { zoneId: string; zoneName: string | undefined } {
    return { zoneId, zoneName: this.get(profileId).zones.find((z) => z.id === zoneId)?.name }
  }

  /** An account of the profile, named for messages. */
  accountScope(profileId: string, accountId: string): { accountId: string; accountName: string | undefined } {
    return { accountId, accountName: this.get(profileId).accounts.find((a) => a.id === accountId)?.name }
  }

  /** Base URL and token for a profile's API calls (main process only). */
  async connection(id: string): Promise<Connection> {
    const profile = this.get(id)
    const connection = await connectionFor(profile, () => this.token(id), this.sandbox)
    // The Sandbox's token is a secret too: it works against this install's emulator.
    registerSecret(connection.token)
    return profile.kind === 'cloudflare' && this.cloudflareApiUrl && !profile.baseUrl
      ? { ...connection, baseUrl: this.cloudflareApiUrl }
      : connection
  }

  list(): Profile[] {
    return this.store.list()
  }

  get(id: string): Profile {
    return this.transients.get(id)?.profile ?? this.store.get(id)
  }

  /** The token, for main-process API calls only. Never returned over IPC. */
  async token(id: string): Promise<string> {
    const transient = this.transients.get(id)
    if (transient) return transient.token
    const profile = this.store.get(id)
    const token = await this.secrets.get(tokenAccount(profile.id))
    if (!token) {
      throw new AppError('keychain_entry_missing', `The API token for "${profile.name}" is missing from the system keychain.`, {
        hint: 'Remove the profile and add it again with a new token.',
      })
    }
    registerSecret(token)
    return token
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
      this.forget(profile.id)
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

  /** Verifies the token again and stores what it can reach and which permissions it lacks. */
  async refreshIdentity(id: string): Promise<TokenIdentity> {
    const identity = await this.identify(id)
    const transient = this.transients.get(id)
    const update = (p: Profile): Profile => ({
      ...p,
      accounts: identity.accounts,
      zones: identity.zones.map((z) => ({ id: z.id, name: z.name })),
      missingPermissions: identity.missing,
      verifiedAt: new Date().toISOString(),
    })
    if (transient) transient.profile = update(transient.profile)
    else this.store.update(id, update)
    return identity
  }

  async remove(id: string): Promise<boolean> {
    const profile = this.store.list().find((p) => p.id === id)
    if (!profile) return false
    await this.secrets.delete(tokenAccount(id))
    this.forget(id)
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
