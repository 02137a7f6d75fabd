/**
 * The private-key vault. Keys Certdesk generates (for CSRs sent to Cloudflare, local CAs) are kept
 * here, never in plain files:
 *  - a random 256-bit data key lives in the OS keychain (account `vault:data-key`), created on the
 *    first save;
 *  - each key is `<dir>/keys/<id>.key` = AES-256-GCM(PKCS#8 DER) with the key id as AAD, so a file
 *    renamed to another id does not decrypt; written atomically, mode 0600;
 *  - `<dir>/keys/index.json` lists ids, types, labels, the CSR and the linked certificate — nothing
 *    secret, so the UI can list keys without touching the keychain;
 *  - `<dir>/keys/<id>.json` describes each key the same way beside its file, so a lost or damaged
 *    index is rebuilt with labels and links at start-up ({@link KeyVault.recover});
 *  - `<dir>/backups.json` records each backup (when, where, which keys) and the last backup reminder.
 * File layout: "CDV1" | 12-byte IV | ciphertext | 16-byte GCM tag.
 */
import { createCipheriv, createDecipheriv, createPrivateKey, createPublicKey, randomBytes, type webcrypto } from 'node:crypto'
import { closeSync, fsyncSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs'
import { z } from 'zod'
import { join } from 'node:path'
import { AppError } from '../../shared/errors'
import type { StorageProblem } from '../../shared/model'
import { VaultEntry, VaultIndex, type CreateIntent, type KeyType, type VaultCertificate } from '../../shared/pki-model'
import { findIssuer, isSelfSigned } from '../certs/chain'
import { CSR_LABELS } from '../certs/pem'
import { parseCertificate, type ParsedCertificate } from '../lint/der'
import { decodeCertificate } from '../certs/x509'
import { decodePem, parsePem, privateKeyToPem, sha256Hex, toPem } from '../pki/encode'
import { exportPkcs8Der, importPrivateKey, keyTypeOf } from '../pki/keys'
import { exportPkcs12 } from '../pki/pkcs12'
import { JsonFile, writeFileAtomic } from '../storage/json-file'
import type { SecretStore } from './keychain'

type CryptoKey = webcrypto.CryptoKey

export const DATA_KEY_ACCOUNT = 'vault:data-key'
const MAGIC = Buffer.from('CDV1')
const IV_BYTES = 12
const TAG_BYTES = 16

export interface SaveKeyInput {
  privateKey: CryptoKey
  /** Defaults to the key's own type. */
  keyType?: KeyType
  label: string
  csrPem?: string
}

export interface LinkCertificateMeta {
  cloudflareId?: string
  zoneId?: string
}

export interface BeginIntentInput {
  csrPem: string
  zoneId: string
  zoneName?: string | undefined
  profileId: string
  keyId?: string | undefined
  validityDays: number
}

/** A backup written of this vault: when, where and which keys it holds. */
export const BackupRecord = z.object({ at: z.iso.datetime(), path: z.string(), keyIds: z.array(z.string()) })
export type BackupRecord = z.infer<typeof BackupRecord>
const BackupLog = z.object({
  version: z.literal(1),
  backups: z.array(BackupRecord),
  /** When the app last reminded that a CA key is in no backup (at most once a week). */
  remindedAt: z.iso.datetime().optional(),
})
/** Backups remembered: enough to say which keys are in one and where the latest is. */
const BACKUPS_KEPT = 50

/** A key as a backup carries it: its entry and its PKCS#8 DER. */
export interface VaultItem {
  entry: VaultEntry
  pkcs8: Uint8Array
}

/** What a restore did: keys added, keys that were here already (the same key), and ids held by a different key (kept). */
export interface RestoreOutcome {
  restored: VaultEntry[]
  alreadyHere: VaultEntry[]
  conflicts: { id: string; label: string; keptLabel: string }[]
}

/** What {@link KeyVault.recover} found: keys listed again from their descriptions, and key files without one. */
export interface VaultRecovery {
  recovered: VaultEntry[]
  undescribed: string[]
}

/** The start-up report of a rebuilt index, shown once like any storage problem. */
export function vaultRecoveryProblem(vault: KeyVault, recovery: VaultRecovery): StorageProblem {
  const { recovered, undescribed } = recovery
  const lost = undescribed.length
    ? ` ${undescribed.length} key file(s) had no description and are not listed (${undescribed.join(', ')}); ` +
      'restore them from a backup.'
    : ''
  return {
    file: join(vault.keysDir, 'index.json'),
    movedTo: '',
    reason:
      `The vault's key list was lost or damaged and has been rebuilt from the key files: ${recovered.length} key(s) ` +
      `listed again with their labels and certificates.${lost}`,
    at: new Date().toISOString(),
  }
}

export interface VaultOptions {
  onProblem?: (problem: StorageProblem) => void
}

function notFound(id: string): AppError {
  return new AppError('not_found', `No saved private key has the id ${id}.`, {
    hint: 'It may have been deleted; list the vault to see the keys it holds.',
  })
}

/** The SPKI DER of a PKCS#8 private key: what says two keys are the same key. */
export function publicKeyDer(pkcs8: Uint8Array): Buffer {
  return createPublicKey(createPrivateKey({ key: Buffer.from(pkcs8), format: 'der', type: 'pkcs8' })).export({
    type: 'spki',
    format: 'der',
  })
}

/** DER of the first CERTIFICATE block, or a specific bad_input. */
function certificateDer(pem: string): Uint8Array {
  return decodePem(pem, ['CERTIFICATE'], 'a certificate').der
}

export class KeyVault {
  readonly keysDir: string
  private readonly index: JsonFile<typeof VaultIndex>
  private readonly backupLog: JsonFile<typeof BackupLog>
  /** In flight or done: parallel first saves must share one data key, not each mint their own. */
  private dataKey: Promise<Buffer> | undefined

  constructor(
    readonly dir: string,
    private readonly secrets: SecretStore,
    options: VaultOptions = {},
  ) {
    this.keysDir = join(dir, 'keys')
    this.index = new JsonFile(
      join(this.keysDir, 'index.json'),
      VaultIndex,
      () => ({ version: 1 as const, entries: [] }),
      options.onProblem ?? (() => {}),
    )
    this.backupLog = new JsonFile(
      join(dir, 'backups.json'),
      BackupLog,
      () => ({ version: 1 as const, backups: [] }),
      options.onProblem ?? (() => {}),
    )
  }

  /** Every saved key, newest first. Needs no keychain access. */
  list(): VaultEntry[] {
    return [...this.index.read().entries].sort((a, b) => b.createdAt.localeCompare(a.createdAt))
  }

  get(id: string): VaultEntry {
    const entry = this.index.read().entries.find((e) => e.id === id)
    if (!entry) throw notFound(id)
    return entry
  }

  /** The key whose CSR this is (compared by DER, so line endings and wrapping do not matter). */
  findByCsr(csrPem: string): VaultEntry | undefined {
    const wanted = parsePem(csrPem)[0]?.der
    if (!wanted) return undefined
    return this.index
      .read()
      .entries.find((e) => e.csrPem !== undefined && Buffer.from(parsePem(e.csrPem)[0]?.der ?? []).equals(Buffer.from(wanted)))
  }

  async save(input: SaveKeyInput): Promise<VaultEntry> {
    const label = input.label.trim()
    if (!label)
      throw new AppError('bad_input', 'A saved key needs a label.', {
        hint: 'Name it after what it is for, e.g. "iot-gateway-7 client key".',
      })
    if (label.length > 200)
      throw new AppError('bad_input', `The label is ${label.length} characters; at most 200 are allowed.`, { hint: 'Shorten the label.' })
    const keyType = input.keyType ?? keyTypeOf(input.privateKey)
    if (input.csrPem !== undefined) decodePem(input.csrPem, CSR_LABELS, 'a certificate signing request (CSR)')
    const pkcs8 = await exportPkcs8Der(input.privateKey)
    const dataKey = await this.loadDataKey(true)
    const id = randomBytes(16).toString('hex')
    writeFileAtomic(this.keyPath(id), this.seal(dataKey, id, pkcs8))
    const entry: VaultEntry = { id, keyType, createdAt: new Date().toISOString(), label, ...(input.csrPem ? { csrPem: input.csrPem } : {}) }
    try {
      this.describe(entry)
      this.index.update((doc) => ({ ...doc, entries: [...doc.entries, entry] }))
    } catch (error) {
      // Without an index entry the key file is unreachable: remove it rather than leave an orphan.
      rmSync(this.keyPath(id), { force: true })
      rmSync(this.descriptionPath(id), { force: true })
      throw error
    }
    return entry
  }

  /** Attaches the issued certificate to its key, after checking the certificate is for this key. */
  async linkCertificate(id: string, certPem: string, meta: LinkCertificateMeta = {}): Promise<VaultEntry> {
    this.get(id)
    const der = certificateDer(certPem)
    const cert = decodeCertificate(der, {
      message: 'The certificate could not be decoded.',
      hint: 'Give the PEM certificate that was issued for this key.',
    })
    const ours = publicKeyDer(await this.readPkcs8(id))
    if (!ours.equals(Buffer.from(cert.publicKey.rawData))) {
      throw new AppError('bad_input', 'This certificate was not issued for this key: its public key belongs to a different key pair.', {
        hint: 'Link the certificate issued from this key’s CSR.',
        details: { reason: 'key_mismatch' },
      })
    }
    const certificate: VaultCertificate = {
      pem: toPem(der, 'CERTIFICATE'),
      sha256: sha256Hex(der),
      ...(meta.cloudflareId ? { cloudflareId: meta.cloudflareId } : {}),
      ...(meta.zoneId ? { zoneId: meta.zoneId } : {}),
    }
    let updated: VaultEntry | undefined
    this.index.update((doc) => ({
      ...doc,
      entries: doc.entries.map((e) => (e.id === id ? (updated = { ...e, certificate }) : e)),
    }))
    if (!updated) throw notFound(id)
    this.describe(updated)
    return updated
  }

  /** The private key as an extractable CryptoKey (for signing, exporting). */
  async privateKey(id: string): Promise<CryptoKey> {
    return (await importPrivateKey(await this.readPkcs8(id))).privateKey
  }

  /** PKCS#8 PEM, encrypted (PBES2/AES-256-CBC) when a password is given. */
  async exportPkcs8(id: string, password?: string): Promise<string> {
    return privateKeyToPem(await this.readPkcs8(id), password)
  }

  /** A .p12 of the key with its linked certificate (and chain). */
  async exportPkcs12(
    id: string,
    password: string,
    options: { legacy?: boolean; chainPems?: string[]; friendlyName?: string } = {},
  ): Promise<Uint8Array> {
    const entry = this.get(id)
    if (!entry.certificate) {
      throw new AppError('bad_input', `The key "${entry.label}" has no certificate yet, so there is nothing to put in a PKCS#12 with it.`, {
        hint: 'Issue or link its certificate first, or export the key alone as PKCS#8.',
      })
    }
    const chain = (options.chainPems ?? []).flatMap((pem) =>
      parsePem(pem)
        .filter((b) => b.label === 'CERTIFICATE')
        .map((b) => b.der),
    )
    return exportPkcs12(await this.readPkcs8(id), certificateDer(entry.certificate.pem), {
      password,
      ...(options.legacy ? { legacy: true } : {}),
      ...(chain.length ? { chain } : {}),
      friendlyName: options.friendlyName ?? entry.label,
    })
  }

  /**
   * The CA certificates in this vault that issued this key's certificate, nearest first, up to a
   * self-signed root; each link is checked by signature, not by name alone. Empty when the issuer is
   * not a vault CA (a Cloudflare-managed CA, whose certificate the API does not hand out).
   */
  async issuerChain(id: string): Promise<string[]> {
    const pem = this.get(id).certificate?.pem
    if (!pem) return []
    const parse = (certPem: string): ParsedCertificate[] => {
      try {
        return [parseCertificate(certificateDer(certPem))]
      } catch {
        return []
      }
    }
    const cas = this.list().flatMap((e) => (e.certificate && e.id !== id ? parse(e.certificate.pem) : []))
    const chain: ParsedCertificate[] = []
    let current = parse(pem)[0]
    while (current && chain.length < 8 && !isSelfSigned(current)) {
      const issuer = findIssuer(
        current,
        cas.filter((ca) => !chain.includes(ca)),
      )
      if (issuer) chain.push(issuer)
      current = issuer
    }
    return chain.map((c) => toPem(c.der))
  }

  /**
   * Record a client-certificate create before it is sent (durably: the index is written and synced).
   * If one for the same CSR and zone is still pending it is returned instead, `resumed`: its
   * certificate may exist already, so the caller must look before sending anything.
   */
  beginIntent(input: BeginIntentInput): { intent: CreateIntent; resumed: boolean } {
    const der = parsePem(input.csrPem).find((b) => CSR_LABELS.includes(b.label))?.der
    if (!der) {
      const hint = 'Give the CSR (BEGIN CERTIFICATE REQUEST).'
      throw new AppError('bad_input', 'A create can only be recorded for a PEM certificate signing request.', { hint })
    }
    const csrSha256 = sha256Hex(der)
    let result: { intent: CreateIntent; resumed: boolean } | undefined
    this.index.update((doc) => {
      const intents = doc.intents ?? []
      const pending = intents.find((i) => i.csrSha256 === csrSha256 && i.zoneId === input.zoneId)
      if (pending) {
        result = { intent: pending, resumed: true }
        return doc
      }
      const intent: CreateIntent = {
        id: randomBytes(16).toString('hex'),
        csrSha256,
        zoneId: input.zoneId,
        ...(input.zoneName ? { zoneName: input.zoneName } : {}),
        profileId: input.profileId,
        ...(input.keyId ? { keyId: input.keyId } : {}),
        validityDays: input.validityDays,
        startedAt: new Date().toISOString(),
        csrPem: input.csrPem,
      }
      result = { intent, resumed: false }
      return { ...doc, intents: [...intents, intent] }
    })
    return result!
  }

  /** Creates whose outcome is not settled yet, oldest first. */
  pendingIntents(): CreateIntent[] {
    return [...(this.index.read().intents ?? [])].sort((a, b) => a.startedAt.localeCompare(b.startedAt))
  }

  /** The create is settled (certificate found and linked, or refused): forget it. */
  finishIntent(id: string): void {
    this.index.update((doc) => ({ ...doc, intents: (doc.intents ?? []).filter((i) => i.id !== id) }))
  }

  /** Overwrites the key file with random bytes, removes it, and drops the entry. */
  async delete(id: string): Promise<void> {
    this.get(id)
    const path = this.keyPath(id)
    try {
      const size = statSync(path).size
      // Overwrite in place (same inode) before unlinking; on SSDs this is best effort, the data key
      // staying in the keychain is what keeps old blocks unreadable once the file is gone.
      const fd = openSync(path, 'r+')
      try {
        writeSync(fd, randomBytes(size), 0, size, 0)
        fsyncSync(fd)
      } finally {
        closeSync(fd)
      }
      rmSync(path, { force: true })
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
    }
    this.index.update((doc) => ({ ...doc, entries: doc.entries.filter((e) => e.id !== id) }))
    rmSync(this.descriptionPath(id), { force: true })
  }

  /**
   * Lists again the keys whose files are here but not in the index (a lost, truncated or damaged index.json),
   * each from the description beside its file; describes the listed keys that have none yet (vaults written before
   * descriptions). Run at start-up; undefined when nothing was missing. Needs no keychain access.
   */
  recover(): VaultRecovery | undefined {
    let files: string[]
    try {
      files = readdirSync(this.keysDir)
    } catch {
      return undefined
    }
    const names = new Set(files)
    const entries = this.index.read().entries
    for (const entry of entries) if (!names.has(`${entry.id}.json`)) this.describe(entry)
    const listed = new Set(entries.map((e) => e.id))
    const missing = files.flatMap((f) => /^([0-9a-f]{32})\.key$/.exec(f)?.[1] ?? []).filter((id) => !listed.has(id))
    if (!missing.length) return undefined
    const recovered: VaultEntry[] = []
    const undescribed: string[] = []
    for (const id of missing) {
      const entry = this.readDescription(id)
      if (entry) recovered.push(entry)
      else undescribed.push(id)
    }
    if (recovered.length) this.index.update((doc) => ({ ...doc, entries: [...doc.entries, ...recovered] }))
    return { recovered, undescribed }
  }

  /** Every key with its PKCS#8 DER, oldest first (for a backup). */
  async items(): Promise<VaultItem[]> {
    const entries = [...this.list()].reverse()
    const items: VaultItem[] = []
    for (const entry of entries) items.push({ entry, pkcs8: await this.readPkcs8(entry.id) })
    return items
  }

  /**
   * Adds keys from a backup, re-encrypted under this vault's data key. An id held here by the same key (same public
   * key) is left as it is; an id held by a different key is reported and the key here kept. Key files and their
   * descriptions are written first and the index last, atomically: a kill midway leaves the index as it was and
   * {@link recover} lists the written keys at the next start.
   */
  async restore(items: readonly VaultItem[]): Promise<RestoreOutcome> {
    const here = new Map(this.index.read().entries.map((e) => [e.id, e]))
    const outcome: RestoreOutcome = { restored: [], alreadyHere: [], conflicts: [] }
    const fresh: VaultItem[] = []
    for (const item of items) {
      const existing = here.get(item.entry.id)
      if (!existing) {
        fresh.push(item)
        continue
      }
      const ours = await this.readPkcs8(existing.id).then(publicKeyDer, () => undefined)
      if (ours?.equals(publicKeyDer(item.pkcs8))) outcome.alreadyHere.push(existing)
      else outcome.conflicts.push({ id: existing.id, label: item.entry.label, keptLabel: existing.label })
    }
    if (!fresh.length) return outcome
    const dataKey = await this.loadDataKey(true)
    for (const { entry, pkcs8 } of fresh) {
      writeFileAtomic(this.keyPath(entry.id), this.seal(dataKey, entry.id, pkcs8))
      this.describe(entry)
    }
    this.index.update((doc) => ({ ...doc, entries: [...doc.entries, ...fresh.map((i) => i.entry)] }))
    outcome.restored = fresh.map((i) => i.entry)
    return outcome
  }

  /** Backups written of this vault, newest first. */
  backups(): BackupRecord[] {
    return [...this.backupLog.read().backups].sort((a, b) => b.at.localeCompare(a.at))
  }

  recordBackup(record: BackupRecord): void {
    this.backupLog.update((doc) => ({ ...doc, backups: [...doc.backups, record].slice(-BACKUPS_KEPT) }))
  }

  /** When the app last reminded about keys in no backup. */
  remindedAt(): string | undefined {
    return this.backupLog.read().remindedAt
  }

  setRemindedAt(at: string): void {
    this.backupLog.update((doc) => ({ ...doc, remindedAt: at }))
  }

  private descriptionPath(id: string): string {
    return this.keyPath(id).replace(/\.key$/, '.json')
  }

  /** The key's entry beside its file (nothing secret, like the index). */
  private describe(entry: VaultEntry): void {
    writeFileAtomic(this.descriptionPath(entry.id), `${JSON.stringify(entry, null, 2)}\n`)
  }

  private readDescription(id: string): VaultEntry | undefined {
    try {
      const parsed = VaultEntry.safeParse(JSON.parse(readFileSync(this.descriptionPath(id), 'utf8')))
      return parsed.success && parsed.data.id === id ? parsed.data : undefined
    } catch {
      return undefined
    }
  }

  private keyPath(id: string): string {
    if (!/^[0-9a-f]{32}$/.test(id)) throw notFound(id)
    return join(this.keysDir, `${id}.key`)
  }

  private async readPkcs8(id: string): Promise<Uint8Array> {
    const entry = this.get(id)
    let sealed: Buffer
    try {
      sealed = readFileSync(this.keyPath(id))
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new AppError('storage_corrupt', `The key file for "${entry.label}" is missing from ${this.keysDir}.`, {
          hint: 'Restore the keys folder from a backup; without the file this key is lost.',
          cause: error,
        })
      }
      throw error
    }
    const dataKey = await this.loadDataKey(false)
    return this.open(dataKey, id, sealed, entry.label)
  }

  private keyFilesExist(): boolean {
    if (this.index.read().entries.length > 0) return true
    try {
      return readdirSync(this.keysDir).some((f) => f.endsWith('.key'))
    } catch {
      return false
    }
  }

  /** The data key from the keychain; created on first save, and never silently replaced when keys exist. */
  private loadDataKey(createIfMissing: boolean): Promise<Buffer> {
    this.dataKey ??= this.fetchDataKey(createIfMissing).catch((error: unknown) => {
      // A failed load (keychain locked, entry missing) is retried on the next call.
      this.dataKey = undefined
      throw error
    })
    return this.dataKey
  }

  private async fetchDataKey(createIfMissing: boolean): Promise<Buffer> {
    const stored = await this.secrets.get(DATA_KEY_ACCOUNT)
    if (stored !== null) {
      const key = Buffer.from(stored, 'base64')
      if (key.length !== 32) {
        throw new AppError('storage_corrupt', `The vault data key in the system keychain is damaged (${key.length} bytes instead of 32).`, {
          hint: `Restore the keychain entry "${DATA_KEY_ACCOUNT}" from a backup; the saved keys cannot be decrypted without it.`,
        })
      }
      return key
    }
    if (!createIfMissing || this.keyFilesExist()) {
      const count = this.index.read().entries.length
      const last = this.backups()[0]
      // What survives without the data key: the index and descriptions (labels, certificates, links), not the keys.
      const backup = last
        ? ` The last backup of this vault is ${last.path} (${last.at.slice(0, 16).replace('T', ' ')} UTC, ` +
          `${last.keyIds.length} key(s)): move the folder ${this.keysDir} aside and restore it ` +
          `(Keys → Restore…, or "certdesk vault restore ${last.path}").`
        : ' No backup of this vault was recorded.'
      throw new AppError(
        'keychain_entry_missing',
        `The vault's data key is missing from the system keychain, so the ${count} saved private key(s) in ` +
          `${this.keysDir} cannot be decrypted. Their labels, certificates and links are intact; the private keys ` +
          `cannot be recovered without the data key or a backup.`,
        {
          hint:
            `Restore the keychain entry "${DATA_KEY_ACCOUNT}" (from a keychain backup or the machine these keys ` +
            `came from).${backup} If the keys are no longer needed, delete the folder ${this.keysDir} and Certdesk ` +
            `will start a new vault.`,
        },
      )
    }
    const key = randomBytes(32)
    await this.secrets.set(DATA_KEY_ACCOUNT, key.toString('base64'))
    return key
  }

  private seal(dataKey: Buffer, id: string, pkcs8: Uint8Array): Buffer {
    const iv = randomBytes(IV_BYTES)
    const cipher = createCipheriv('aes-256-gcm', dataKey, iv)
    cipher.setAAD(Buffer.from(id, 'utf8'))
    const body = Buffer.concat([cipher.update(pkcs8), cipher.final()])
    return Buffer.concat([MAGIC, iv, body, cipher.getAuthTag()])
  }

  private open(dataKey: Buffer, id: string, sealed: Buffer, label: string): Uint8Array {
    if (sealed.length < MAGIC.length + IV_BYTES + TAG_BYTES + 1 || !sealed.subarray(0, MAGIC.length).equals(MAGIC)) {
      throw new AppError('storage_corrupt', `The key file for "${label}" is not a Certdesk vault file (damaged or replaced).`, {
        hint: 'Restore the keys folder from a backup.',
      })
    }
    const iv = sealed.subarray(MAGIC.length, MAGIC.length + IV_BYTES)
    const tag = sealed.subarray(sealed.length - TAG_BYTES)
    const body = sealed.subarray(MAGIC.length + IV_BYTES, sealed.length - TAG_BYTES)
    try {
      const decipher = createDecipheriv('aes-256-gcm', dataKey, iv)
      decipher.setAAD(Buffer.from(id, 'utf8'))
      decipher.setAuthTag(tag)
      return new Uint8Array(Buffer.concat([decipher.update(body), decipher.final()]))
    } catch (error) {
      throw new AppError(
        'storage_corrupt',
        `The key file for "${label}" could not be decrypted: the vault data key in the keychain is not the ` +
          `one it was written with, or the file was altered.`,
        {
          hint: `Restore the keychain entry "${DATA_KEY_ACCOUNT}" that belongs to these keys, or the key file from a backup.`,
          cause: error,
        },
      )
    }
  }
}
