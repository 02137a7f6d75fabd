/**
 * Keys in Certdesk's vault and the flows that make them: a key and its CSR (the create-certificate
 * wizard), a local root CA, deleting, and exports through main's save dialog. Private keys never
 * reach the renderer; this slice sees vault entries. Gateway BYOPKI roots are the gateway slice's.
 */
import type { Result } from '../../../shared/errors'
import type { CertificateCheck } from '../../../shared/lint-model'
import type { CsrSubject, KeyType, SanEntry, VaultEntry, VaultKeyRow } from '../../../shared/pki-model'
import type { ExportFormat } from '../../../shared/contract/keys'
import type { BackupStatus, PassphraseStrength, RestoreResult } from '../../../shared/contract/vault'
import type { ResponseOf } from '../../../shared/contract'
import type { SliceCreator } from '.'
import { attempt } from '../api'
import { loadInto } from './load'

/** A new key's CSR, and what the CSR says (decoded in main) for the review step. */
export type NewKeyCsr = { key: VaultEntry; csrPem: string; decoded: { subject: string; sans: SanEntry[]; keyType: KeyType } }
export type LocalRoot = { key: VaultEntry; certificatePem: string; check: CertificateCheck }
/** A vault CA's certificate re-issued with the same key, and what identified the one it replaced. */
export type ReissuedCa = ResponseOf<'keys:reissueCa'>
export type LocalRootRequest = { cn: string; o?: string; keyType: KeyType; days: number; permittedDns: string[] }

export interface KeysSlice {
  vaultKeys: VaultKeyRow[]
  loadKeys(): Promise<Result<VaultKeyRow[]>>
  /** A job that makes a vault entry (any slice's): its job ended, the failure left to the step that asked, the list read again. */
  vaulting<T>(work: () => Promise<T>, jobId: string): Promise<Result<T>>
  newKeyCsr(request: { keyType: KeyType; subject: CsrSubject; sans: string[]; label?: string }, jobId: string): Promise<Result<NewKeyCsr>>
  /** Saves through main's save dialog; the path, or null when the dialog was cancelled. */
  exportKey(id: string, format: ExportFormat, password?: string): Promise<Result<string | null>>
  /** Any certificate (vault or not) as PEM or DER through main's save dialog; the path, or null when cancelled. */
  saveCertificate(pem: string, format: 'certificate-pem' | 'certificate-der', name: string): Promise<Result<string | null>>
  deleteKey(id: string): Promise<Result<unknown>>
  /** A root CA made here (Access mTLS, account CA uploads): key vaulted, certificate linked, root-ca lint. */
  generateLocalRoot(request: LocalRootRequest, jobId: string): Promise<Result<LocalRoot>>
  /** A vault CA's certificate again with the same key (days omitted: as long as before), linked in place of the old one. */
  reissueCa(id: string, days: number | undefined, jobId: string): Promise<Result<ReissuedCa>>
  /** The latest backup and the CA keys in no backup yet. */
  backupStatus: BackupStatus | null
  loadBackupStatus(): Promise<Result<BackupStatus>>
  /** The strength meter's estimate (made in main). */
  passphraseStrength(passphrase: string): Promise<Result<PassphraseStrength>>
  /** Every key into one .p12 through main's save dialog; the path, or null when cancelled. */
  backupVault(passphrase: string, repeat: string): Promise<Result<string | null>>
  /** A backup chosen in main's open dialog and confirmed there; null when cancelled. */
  restoreVault(passphrase: string): Promise<Result<RestoreResult | null>>
}

const EXPORT_NAMES: Record<ExportFormat, string> = {
  'certificate-pem': 'the certificate',
  'certificate-der': 'the certificate (DER)',
  'key-pkcs8-encrypted': 'the encrypted private key',
  'key-pem-unencrypted': 'the UNENCRYPTED private key',
  pkcs12: 'the PKCS#12 bundle',
  'pkcs12-legacy': 'the legacy PKCS#12 bundle',
}

export const createKeysSlice: SliceCreator<KeysSlice> = (set, get, api) => {
  /** Through main's save dialog: the path it saved to, or null when the user closed the dialog. */
  const save = async (format: ExportFormat, work: () => Promise<{ savedTo: string | null }>): Promise<Result<string | null>> => {
    const saved = await attempt(work)
    const result: Result<string | null> = saved.ok ? { ok: true, value: saved.value.savedTo } : saved
    get().report(result, result.ok && result.value ? `Saved ${EXPORT_NAMES[format]} to ${result.value}.` : undefined)
    return result
  }
  return {
    vaultKeys: [],
    loadKeys: () => loadInto(set, get, 'vaultKeys', () => api.keys.list()),
    vaulting: async (work, jobId) => {
      const result = await attempt(work)
      get().endJob(jobId)
      get().report(result, undefined, true)
      if (result.ok) void get().loadKeys()
      return result
    },
    newKeyCsr: (request, jobId) => get().vaulting(() => api.keys.newCsr({ ...request, jobId }), jobId),
    exportKey: (id, format, password) =>
      save(format, () => api.keys.export({ id, format, ...(password === undefined ? {} : { password }) })),
    saveCertificate: (pem, format, name) => save(format, () => api.certificates.save({ pem, format, name })),
    deleteKey: async (id) => {
      const label = get().vaultKeys.find((k) => k.id === id)?.label ?? id
      const result = await attempt(() => api.keys.delete({ id }))
      get().report(result, `Deleted the key ${label}.`)
      if (result.ok) void get().loadKeys()
      return result
    },
    generateLocalRoot: (request, jobId) => get().vaulting(() => api.keys.newRoot({ ...request, jobId }), jobId),
    reissueCa: (id, days, jobId) => get().vaulting(() => api.keys.reissueCa({ id, ...(days === undefined ? {} : { days }), jobId }), jobId),
    backupStatus: null,
    loadBackupStatus: () => loadInto(set, get, 'backupStatus', () => api.vault.status()),
    passphraseStrength: (passphrase) => attempt(() => api.vault.strength({ passphrase })),
    backupVault: async (passphrase, repeat) => {
      const saved = await attempt(() => api.vault.backup({ passphrase, repeat }))
      const result: Result<string | null> = saved.ok ? { ok: true, value: saved.value.savedTo } : saved
      const done = saved.ok && saved.value.savedTo ? `Backed up ${saved.value.keys} key(s) to ${saved.value.savedTo}.` : undefined
      get().report(result, done)
      if (result.ok) void get().loadBackupStatus()
      return result
    },
    restoreVault: async (passphrase) => {
      const result = await attempt(() => api.vault.restore({ passphrase }))
      const value = result.ok ? result.value : null
      get().report(result, value ? `Restored ${value.restored.length} key(s) from the backup.` : undefined)
      if (value) void Promise.all([get().loadKeys(), get().loadBackupStatus()])
      return result
    },
  }
}
