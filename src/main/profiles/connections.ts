/**
 * Where a profile's API calls go and with which token. A Cloudflare profile uses its keychain
 * token against api.cloudflare.com; the Sandbox profile starts the built-in emulator on 127.0.0.1
 * (once, on first use) with its state kept in the user-data folder, and uses its full-access token.
 * A transient profile (the CLI's CLOUDFLARE_API_TOKEN) lives in this process's memory only.
 *
 * ProfileConnections is what CloudflareService and ProfileService both depend on: neither needs the
 * other to know a profile's token, base URL, accounts and zones.
 */
import { join } from 'node:path'
import { CLOUDFLARE_API_URL } from '../../shared/constants'
import { AppError } from '../../shared/errors'
import type { Profile } from '../../shared/model'
import type { ProfileConnection } from '../cloudflare'
import { registerSecret } from '../log'
import { startSandbox, type SandboxHandle, type SandboxOptions } from '../sandbox'
import type { SecretStore } from '../secrets/keychain'
import type { ProfileStore } from '../storage/profiles'

export interface Connection {
  baseUrl: string
  token: string
}

/** The keychain account name for a profile's API token. */
export const tokenAccount = (profileId: string): string => `profile:${profileId}:token`

export class SandboxHost {
  private running: Promise<SandboxHandle> | undefined

  constructor(
    private readonly userDataDir: string,
    private readonly options: Omit<SandboxOptions, 'stateFile' | 'port'> = {},
  ) {}

  /** The running Sandbox, started on first call; its state survives restarts of the app. */
  handle(): Promise<SandboxHandle> {
    this.running ??= startSandbox({
      seed: 'demo',
      // The Sandbox's mTLS edge on loopback too, so "Test access" has a real edge to ask.
      edge: true,
      ...this.options,
      port: 0,
      stateFile: join(this.userDataDir, 'sandbox-state.json'),
    }).catch((error: unknown) => {
      this.running = undefined
      throw error
    })
    return this.running
  }

  async close(): Promise<void> {
    const running = this.running
    this.running = undefined
    if (running) await (await running).close()
  }
}

export class ProfileConnections {
  /** Profiles for this process only, with their tokens: never written to the profiles file or the keychain. */
  private readonly transient = new Map<string, { profile: Profile; token: string }>()

  constructor(
    private readonly store: ProfileStore,
    private readonly secrets: SecretStore,
    private readonly sandbox: SandboxHost,
    /** Where a Cloudflare profile's calls go (tests point it at a Sandbox). */
    private readonly cloudflareApiUrl?: string,
  ) {}

  /** A stored profile, or a transient one. */
  profile(id: string): Profile {
    return this.transient.get(id)?.profile ?? this.store.get(id)
  }

  isTransient(id: string): boolean {
    return this.transient.has(id)
  }

  /** Keeps a profile and its token in memory, for this process only. */
  addTransient(profile: Profile, token: string): void {
    registerSecret(token)
    this.transient.set(profile.id, { profile, token })
  }

  /** Replaces what is known of a transient profile (its accounts and zones once verified). */
  updateTransient(id: string, update: (profile: Profile) => Profile): void {
    const entry = this.transient.get(id)
    if (entry) this.transient.set(id, { ...entry, profile: update(entry.profile) })
  }

  /** The token, for main-process API calls only. Never returned over IPC. */
  async token(id: string): Promise<string> {
    const kept = this.transient.get(id)
    if (kept) return kept.token
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

  /** Base URL, token, accounts and zones for a profile's API calls (main process only). */
  async connect(id: string): Promise<ProfileConnection & Connection> {
    const profile = this.profile(id)
    const known = { accounts: profile.accounts, zones: profile.zones }
    if (profile.kind === 'sandbox') {
      const handle = await this.sandbox.handle()
      // The Sandbox's token is a secret too: it works against this install's emulator.
      registerSecret(handle.tokens.full)
      return { baseUrl: handle.url, token: handle.tokens.full, ...known }
    }
    const baseUrl = profile.baseUrl ?? this.cloudflareApiUrl ?? CLOUDFLARE_API_URL
    return { baseUrl, token: await this.token(id), ...known }
  }
}
