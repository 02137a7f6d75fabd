/**
 * Backing up and restoring the whole vault (secrets/vault-backup.ts has the file format), for the app and the CLI:
 * a backup is written where `choose` says and recorded (when, where, which keys); a restore opens and checks the
 * whole file before the vault is touched; `verify` says whether a backup holds every key of this vault.
 */
import { basename } from 'node:path'
import * as x509 from '@peculiar/x509'
import type { BackupStatus, PassphraseStrength, RestoreResult } from '../../shared/contract/vault'
import { AppError } from '../../shared/errors'
import type { VaultEntry } from '../../shared/pki-model'
import { decodePem } from '../pki/encode'
import { publicKeyDer, type KeyVault } from '../secrets/vault'
import type { ActivityLog } from '../storage/activity'
import { writeFileAtomic } from '../storage/json-file'
import type { ChooseFile } from './service'

const backupFormat = () => import('../secrets/vault-backup')
const strength = () => import('./passphrase')

/** A week, in ms: the most often the app reminds that a CA key is in no backup. */
export const REMINDER_INTERVAL_MS = 7 * 24 * 3600 * 1000

export interface VaultBackupDeps {
  vault: KeyVault
  activity: Pick<ActivityLog, 'record' | 'about' | 'restore'>
}

/** What `verify` found: whether the backup opens, and which vault keys it lacks (or holds as a different key). */
export interface VerifyResult {
  keys: number
  createdAt: string
  missing: { id: string; label: string }[]
  different: { id: string; label: string }[]
  extra: { id: string; label: string }[]
}

/** Whether a key's certificate is a CA certificate (basicConstraints cA). */
export function isCaEntry(entry: VaultEntry): boolean {
  if (!entry.certificate) return false
  try {
    const cert = new x509.X509Certificate(decodePem(entry.certificate.pem, ['CERTIFICATE'], 'a certificate').der)
    return cert.getExtension(x509.BasicConstraintsExtension)?.ca === true
  } catch {
    return false
  }
}

const named = (e: VaultEntry) => ({ id: e.id, label: e.label })

export class VaultBackupService {
  constructor(private readonly deps: VaultBackupDeps) {}

  strength(passphrase: string): Promise<PassphraseStrength> {
    return strength().then((s) => s.passphraseStrength(passphrase))
  }

  /** Every key of the vault in one encrypted file where `choose` says; null when cancelled (nothing written). */
  async backup(passphrase: string, choose: ChooseFile): Promise<{ savedTo: string | null; keys: number }> {
    const { vault, activity } = this.deps
    await (await strength()).assertStrongPassphrase(passphrase)
    const items = await vault.items()
    if (!items.length) {
      throw new AppError('bad_input', 'The vault holds no keys, so there is nothing to back up.', {
        hint: 'Keys made in Certdesk (new certificates, roots) are kept in the vault; back up once there are some.',
      })
    }
    const ids = new Set(items.map((i) => i.entry.id))
    const data = (await backupFormat()).writeBackup(items, activity.about(ids), passphrase)
    const day = new Date().toISOString().slice(0, 10)
    const savedTo = await choose({ title: 'Back up the vault', defaultName: `certdesk-vault-${day}.p12`, extensions: ['p12'] })
    if (!savedTo) return { savedTo: null, keys: items.length }
    writeFileAtomic(savedTo, data, 0o600)
    vault.recordBackup({ at: new Date().toISOString(), path: savedTo, keyIds: [...ids] })
    const name = basename(savedTo)
    activity.record({ action: 'vault.backup', target: name, objectName: name, detail: { keys: items.length, file: savedTo } })
    return { savedTo, keys: items.length }
  }

  /** Opens the whole backup (wrong passphrase, damage: an error, nothing changed), then adds its keys and activity. */
  async restore(
    data: Uint8Array,
    passphrase: string,
    file: string,
    /** Asked once the file is checked, before anything is written (the app's confirmation); throws to stop. */
    confirm?: (summary: { keys: { id: string; label: string }[]; createdAt: string }) => Promise<void>,
  ): Promise<RestoreResult> {
    const { vault, activity } = this.deps
    const opened = await (await backupFormat()).openBackup(data, passphrase)
    await confirm?.({ keys: opened.items.map((i) => named(i.entry)), createdAt: opened.manifest.createdAt })
    const outcome = await vault.restore(opened.items)
    const restoredIds = new Set(outcome.restored.map((e) => e.id))
    const restoredActivity = activity.restore(
      opened.manifest.activity.filter((e) => restoredIds.has(e.objectId ?? '') || restoredIds.has(String(e.detail?.['keyId'] ?? ''))),
    )
    const name = basename(file)
    activity.record({
      action: 'vault.restore',
      target: name,
      objectName: name,
      outcome: outcome.conflicts.length ? 'failed' : 'ok',
      ...(outcome.conflicts.length
        ? { reason: `${outcome.conflicts.length} key id(s) already held by a different key here; those were kept` }
        : {}),
      detail: { restored: outcome.restored.length, alreadyHere: outcome.alreadyHere.length, conflicts: outcome.conflicts.length },
    })
    return {
      restored: outcome.restored.map(named),
      alreadyHere: outcome.alreadyHere.map(named),
      conflicts: outcome.conflicts,
      activity: restoredActivity,
    }
  }

  /** Whether the backup opens and holds every key of this vault (the same key under each id). Changes nothing. */
  async verify(data: Uint8Array, passphrase: string): Promise<VerifyResult> {
    const { vault } = this.deps
    const opened = await (await backupFormat()).openBackup(data, passphrase)
    const inBackup = new Map(opened.items.map((i) => [i.entry.id, i]))
    const here = await vault.items()
    const missing: VerifyResult['missing'] = []
    const different: VerifyResult['different'] = []
    for (const item of here) {
      const backed = inBackup.get(item.entry.id)
      if (!backed) missing.push(named(item.entry))
      else if (!publicKeyDer(backed.pkcs8).equals(publicKeyDer(item.pkcs8))) different.push(named(item.entry))
    }
    const ids = new Set(here.map((i) => i.entry.id))
    const extra = opened.items.filter((i) => !ids.has(i.entry.id)).map((i) => named(i.entry))
    return { keys: opened.items.length, createdAt: opened.manifest.createdAt, missing, different, extra }
  }

  /** The latest backup, and the CA keys in no backup yet with the time they have been waiting since (creation). */
  status(): BackupStatus {
    const { vault } = this.deps
    const backups = vault.backups()
    const backedUp = new Set(backups.flatMap((b) => b.keyIds))
    const unbacked = vault.list().filter((e) => !backedUp.has(e.id))
    const last = backups[0]
    return {
      last: last ? { at: last.at, path: last.path, keys: last.keyIds.length } : null,
      unbackedCaKeys: unbacked
        .filter(isCaEntry)
        .map((e) => ({ id: e.id, label: e.label, since: e.createdAt }))
        .sort((a, b) => a.since.localeCompare(b.since)),
      unbackedKeys: unbacked.length,
    }
  }

  /**
   * The reminder to show now, if any: a CA key is in no backup and the last reminder was a week ago or more. Showing
   * it is recorded (persisted), so the next start within the week stays quiet.
   */
  dueReminder(now = new Date()): { title: string; body: string } | null {
    const { unbackedCaKeys } = this.status()
    if (!unbackedCaKeys.length) return null
    const last = this.deps.vault.remindedAt()
    if (last && now.getTime() - Date.parse(last) < REMINDER_INTERVAL_MS) return null
    this.deps.vault.setRemindedAt(now.toISOString())
    const oldest = unbackedCaKeys[0]!
    const days = Math.max(0, Math.floor((now.getTime() - Date.parse(oldest.since)) / 86_400_000))
    const names = unbackedCaKeys.length === 1 ? `"${oldest.label}"` : `${unbackedCaKeys.length} CA keys`
    return {
      title: 'Back up your CA keys',
      body:
        `${names} ${unbackedCaKeys.length === 1 ? 'is' : 'are'} in no backup (for ${days} day${days === 1 ? '' : 's'}). ` +
        'If this computer is lost, every certificate they issued can never be renewed: Keys → Back up….',
    }
  }
}
