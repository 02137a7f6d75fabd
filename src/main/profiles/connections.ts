/**
 * Where a profile's API calls go and with which token. A Cloudflare profile uses its keychain
 * token against api.cloudflare.com; the Sandbox profile starts the built-in emulator on 127.0.0.1
 * (once, on first use) with its state kept in the user-data folder, and uses its full-access token.
 */
import { join } from 'node:path'
import { CLOUDFLARE_API_URL } from '../../shared/constants'
import type { Profile } from '../../shared/model'
import { startSandbox, type SandboxHandle, type SandboxOptions } from '../sandbox'

export interface Connection {
  baseUrl: string
  token: string
}

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

export async function connectionFor(profile: Profile, token: () => Promise<string>, sandbox: SandboxHost): Promise<Connection> {
  if (profile.kind === 'sandbox') {
    const handle = await sandbox.handle()
    return { baseUrl: handle.url, token: handle.tokens.full }
  }
  return { baseUrl: profile.baseUrl ?? CLOUDFLARE_API_URL, token: await token() }
}
