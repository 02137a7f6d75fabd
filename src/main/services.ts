/**
 * The composition root: builds every service once. Used by the app (index.ts), the CLI and the
 * test bridge, so all three run the same code. No Electron here.
 */
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { StorageProblem } from '../shared/model'
import { actionWords } from '../shared/activity'
import { CloudflareService, operationWords, RATE_LEDGER_DIR } from './cloudflare'
import { ClientCertIssuer } from './cloudflare/issuance'
import { JobRegistry } from './jobs'
import { countingFetch, ExpiryService } from './expiry'
import { VaultBackupService } from './keys/backup'
import { KeyService } from './keys/service'
import { detectOptionsFromEnv, type DetectOptions, type TrustService } from './truststore'
import { createTrustService } from './trust-services'
import { userEnv } from './runtimes'
import { ProfileConnections, SandboxHost } from './profiles/connections'
import { ProfileService } from './profiles/profile-service'
import { Keychain, type SecretStore } from './secrets/keychain'
import { KeyVault, vaultRecoveryProblem } from './secrets/vault'
import { shutdownKeyPool } from './pki/keys'
import { ActivityLog } from './storage/activity'
import { ProfileStore } from './storage/profiles'
import { SettingsStore } from './storage/settings'

/** What only the window can do; the app passes Electron's dialogs, tests a stand-in. */
export interface Dialogs {
  /** Asks where to save; resolves to the chosen path, or null when the user cancels. */
  saveFile(options: { title: string; defaultName: string; extensions: string[] }): Promise<string | null>
  /**
   * Asks the user, in main, before a change to the machine or a destruction of keys; resolves to
   * true only for an explicit yes. Without it such changes are refused (see handlers/confirm.ts).
   */
  confirm?(request: ConfirmRequest): Promise<boolean>
  /**
   * Asks which file (or folder) to open; resolves to its path, or null when the user cancels. The renderer never
   * names a path to read: restores and report imports go through here.
   */
  openPath?(options: { title: string; extensions: string[]; folder?: boolean }): Promise<string | null>
  /** Shows an OS notification (the app: Electron's Notification, shown by main; tests record it). Absent: none is shown. */
  notify?(notice: Notice): void
}

/** An OS notification: `key` names what it is about (one item, one reminder), so callers can limit repeats. */
export interface Notice {
  key: string
  title: string
  body: string
}

/** What a confirmation names: the title, the question, exactly what will change, and the button. */
export interface ConfirmRequest {
  title: string
  message: string
  detail: string
  confirmLabel: string
  /** Destroys something (removal, deletion) rather than adding it. */
  destructive: boolean
}

export interface ServiceOptions {
  userDataDir: string
  /** Keychain service name; tests use a unique one. */
  keychainService?: string
  secrets?: SecretStore
  appVersion: string
  versions?: Record<string, string>
  dialogs?: Dialogs
  /** Electron's net.fetch in the app (OS proxy and trust store); the global fetch elsewhere. */
  fetch?: typeof fetch
  /** Where Cloudflare profiles' calls go; tests point it at a Sandbox. Default: Cloudflare's API. */
  cloudflareApiUrl?: string
  /** Where the trust stores are; tests point them at throwaway trees. Default: this machine (or CERTDESK_TRUST_ROOT). */
  trust?: DetectOptions
  /** Sandbox emulator options (tests shorten its pending-state timers). */
  sandbox?: ConstructorParameters<typeof SandboxHost>[1]
  /** After a create's answer is lost, how long (ms) its certificate is looked for (default 30 s); tests shorten it. */
  createSettleMs?: number
  /** The expiry radar's clock (tests move it); default: this machine's. */
  now?: () => number
  /** A fixed share of Cloudflare's rate budget for this process (the CLI's --rate-share); default: the app's setting. */
  cloudflareRateShare?: number
}

export function createServices(options: ServiceOptions) {
  mkdirSync(options.userDataDir, { recursive: true, mode: 0o700 })
  const storageProblems: StorageProblem[] = []
  const onProblem = (problem: StorageProblem) => storageProblems.push(problem)
  const secrets = options.secrets ?? new Keychain(options.keychainService)
  const settings = new SettingsStore(options.userDataDir, onProblem)
  const profileStore = new ProfileStore(options.userDataDir, onProblem)
  const activity = new ActivityLog(
    options.userDataDir,
    (id) => profileStore.list().find((p) => p.id === id)?.name,
    (action) => operationWords(action) ?? actionWords(action),
  )
  const sandbox = new SandboxHost(options.userDataDir, options.sandbox)
  // Profiles' tokens, URLs and names: Cloudflare connects through them, profiles verify through Cloudflare.
  const connections = new ProfileConnections(profileStore, secrets, sandbox, options.cloudflareApiUrl)
  const cloudflare = new CloudflareService({
    connect: (id) => connections.connect(id),
    activity,
    // Counted per listing of the expiry radar (what a refresh costs).
    fetch: countingFetch(options.fetch),
    createSettleMs: options.createSettleMs,
    // One budget per token shared with every CLI process; the share is read from the settings per request.
    limiter: { share: () => options.cloudflareRateShare ?? settings.get().cloudflareRateShare },
    rateLedgerDir: join(options.userDataDir, RATE_LEDGER_DIR),
  })
  const profiles = new ProfileService(profileStore, secrets, activity, connections, cloudflare)
  // Read the stores now so a corrupt file is moved aside and reported at start-up, not mid-task.
  settings.get()
  profileStore.list()

  // Stores are found on first use, not at start-up.
  let trust: TrustService | undefined
  const trustService = (): TrustService =>
    (trust ??= createTrustService({
      detect: options.trust ?? detectOptionsFromEnv(process.env),
      activity,
      // Inputs come from the renderer: PEM text or a fingerprint, never a path for main to read.
      allowFilePaths: false,
      probeManagedStore: true,
      userDataDir: options.userDataDir,
      // The runtimes (and their fix) are checked in the user's home: a throwaway machine's, when the stores are one.
      env: userEnv(process.env, options.trust?.home),
    }))

  // Private keys the app generates, encrypted under a data key kept in the keychain.
  const vault = new KeyVault(join(options.userDataDir, 'vault'), secrets, { onProblem })
  // A lost or damaged keys/index.json: the keys are listed again from their files, and the app says so once.
  const recovery = vault.recover()
  if (recovery) onProblem(vaultRecoveryProblem(vault, recovery))
  // Client certificates are issued through the vault's intents, so a create exists at most once.
  const issuer = new ClientCertIssuer(cloudflare, vault, activity)
  const backups = new VaultBackupService({ vault, activity })
  // While a CA key is in no backup: an OS notification at most once a week (persisted), checked at start and every 6 h.
  const notify = options.dialogs?.notify
  const remind = () => {
    const due = backups.dueReminder()
    if (due) notify?.({ key: 'vault.backup-reminder', ...due })
  }
  if (notify) remind()
  const reminderTimer = notify ? setInterval(remind, 6 * 3600 * 1000).unref() : undefined

  // Every certificate's expiry, from cached listings; notifications through the window's seam.
  const expiry = new ExpiryService({
    userDataDir: options.userDataDir,
    cloudflare,
    profiles: () => profiles.list(),
    vault,
    trust: trustService,
    windowDays: () => settings.get().expiringSoonDays,
    now: options.now,
    notify: options.dialogs?.notify ? (notice) => options.dialogs?.notify?.(notice) : undefined,
  })

  return {
    options,
    vault,
    expiry,
    issuer,
    /** The key workflows (generate into the vault, issue and link, upload, export), for IPC and the CLI. */
    keys: new KeyService({ vault, activity, issuer, cloudflare }),
    /** Vault backups, restores and the backup reminder. */
    backups,
    /** Settle the creates a crash or lost answer left pending, for the app's profiles (app start). */
    reconcileIssuance: () => issuer.reconcile({ profileIds: profiles.list().map((p) => p.id) }),
    trust: trustService,
    storageProblems,
    secrets,
    settings,
    activity,
    profiles,
    cloudflare,
    sandbox,
    /** Electron's net.fetch in the app, for downloads that are not Cloudflare API calls (the Origin CA root). */
    fetch: options.fetch,
    jobs: new JobRegistry(),
    /** Stop what the services started: the Sandbox server and the key-generation workers. */
    close: async () => {
      expiry.stop()
      clearInterval(reminderTimer)
      await Promise.all([sandbox.close(), shutdownKeyPool()])
    },
  }
}

export type Services = ReturnType<typeof createServices>
