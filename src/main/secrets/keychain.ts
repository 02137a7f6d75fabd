/**
 * API tokens and the vault's data key, kept in the OS keychain through keytar
 * (macOS Keychain, Windows Credential Manager, Secret Service on Linux).
 * Nothing here ever falls back to a file: without a keychain the operation fails and says how to fix it.
 */
import { createRequire } from 'node:module'
import { AppError } from '../../shared/errors'

export interface SecretStore {
  get(account: string): Promise<string | null>
  set(account: string, secret: string): Promise<void>
  delete(account: string): Promise<boolean>
}

type Keytar = {
  getPassword(service: string, account: string): Promise<string | null>
  setPassword(service: string, account: string, password: string): Promise<void>
  deletePassword(service: string, account: string): Promise<boolean>
}

const LINUX_HINT =
  'Certdesk keeps tokens only in the system keychain. Install and unlock a Secret Service: ' +
  'GNOME Keyring (`sudo apt install gnome-keyring`, then log out and in) or KWallet, and make sure a D-Bus session is running.'

/** keytar's messages leak neither secrets nor account names, but they are cryptic; say what to do. */
export function keychainUnavailable(cause: unknown, platform: NodeJS.Platform = process.platform): AppError {
  const detail = cause instanceof Error ? cause.message : String(cause)
  const hint =
    platform === 'linux'
      ? LINUX_HINT
      : platform === 'darwin'
        ? 'Unlock your login keychain in Keychain Access and try again.'
        : 'Check that the Windows Credential Manager service is running.'
  return new AppError('keychain_unavailable', `The system keychain could not be used: ${detail}`, { hint, cause })
}

let keytarModule: Keytar | undefined

function loadKeytar(): Keytar {
  if (keytarModule) return keytarModule
  try {
    // keytar is a native CommonJS addon; load it lazily so a missing build is a clear error, not a crash at start-up.
    keytarModule = createRequire(import.meta.url)('keytar') as Keytar
    return keytarModule
  } catch (error) {
    throw keychainUnavailable(error)
  }
}

export class Keychain implements SecretStore {
  /** `service` is `certdesk` in the app; tests pass a unique name and clean up after themselves. */
  constructor(readonly service = 'certdesk') {}

  async get(account: string): Promise<string | null> {
    return this.call((k) => k.getPassword(this.service, account))
  }

  async set(account: string, secret: string): Promise<void> {
    await this.call((k) => k.setPassword(this.service, account, secret))
  }

  async delete(account: string): Promise<boolean> {
    return this.call((k) => k.deletePassword(this.service, account))
  }

  private async call<T>(op: (keytar: Keytar) => Promise<T>): Promise<T> {
    const keytar = loadKeytar()
    try {
      return await op(keytar)
    } catch (error) {
      throw keychainUnavailable(error)
    }
  }
}
