/**
 * The vault's backup: one PKCS#12 file that `openssl pkcs12` opens, holding every key (a shrouded key bag each,
 * friendlyName = label, localKeyId = the key id's 16 bytes) with its certificate, and in the same encrypted
 * SafeContents a secretBag with the manifest Certdesk restores from exactly: labels, ids, created dates, CSRs,
 * Cloudflare links, the keys' activity entries and the format version. AES-256-CBC with PBKDF2-HMAC-SHA256 and an
 * HMAC-SHA256 MAC, both at {@link BACKUP_ITERATIONS}.
 * A file is opened and checked whole (MAC, manifest, every key against its entry and certificate) before anything
 * is written, so a wrong passphrase or a damaged file changes nothing.
 */
import { createPrivateKey, X509Certificate } from 'node:crypto'
import { z } from 'zod'
import { AppError } from '../../shared/errors'
import { ActivityEntry } from '../../shared/model'
import { VaultEntry } from '../../shared/pki-model'
import { assertKeyMatchesSpki, decodePem, sha256Hex } from '../pki/encode'
import { keyTypeOfKeyObject } from '../pki/keys'
import { exportPkcs12Bundle, readPkcs12Bags } from '../pki/pkcs12'
import type { VaultItem } from './vault'

/**
 * PBKDF2-HMAC-SHA256 iterations for the key bags and the MAC (OWASP's figure for PBKDF2-SHA256). One derivation per
 * file for the bags (they share a salt, each has its own IV), one for the MAC: about 0.1 s + 0.5 s here.
 */
export const BACKUP_ITERATIONS = 600_000
export const BACKUP_FORMAT_VERSION = 1
/** The manifest's secretBag: secretTypeId id-data, named so `openssl pkcs12 -info` shows what it is. */
const MANIFEST_TYPE = '1.2.840.113549.1.7.1'
const MANIFEST_NAME = 'certdesk-vault-manifest'

export const BackupManifest = z.object({
  format: z.literal('certdesk-vault-backup'),
  version: z.literal(BACKUP_FORMAT_VERSION),
  createdAt: z.iso.datetime(),
  keys: z.array(VaultEntry),
  activity: z.array(ActivityEntry),
})
export type BackupManifest = z.infer<typeof BackupManifest>

export interface OpenedBackup {
  manifest: BackupManifest
  items: VaultItem[]
}

function idBytes(id: string): Uint8Array {
  return Buffer.from(id, 'hex')
}

function damaged(detail: string, cause?: unknown): AppError {
  return new AppError('bad_input', `This is not a usable Certdesk vault backup: ${detail}`, {
    hint: 'Choose the .p12 file Certdesk wrote with "Back up" or "certdesk vault backup"; a truncated or edited copy cannot be restored.',
    details: { reason: 'damaged_backup' },
    ...(cause === undefined ? {} : { cause }),
  })
}

/** The backup file of `items` (every key of the vault) with their activity. */
export function writeBackup(items: readonly VaultItem[], activity: readonly ActivityEntry[], passphrase: string): Uint8Array {
  const manifest: BackupManifest = {
    format: 'certdesk-vault-backup',
    version: BACKUP_FORMAT_VERSION,
    createdAt: new Date().toISOString(),
    keys: items.map((i) => i.entry),
    activity: [...activity],
  }
  const keys = items.map(({ entry, pkcs8 }) => ({
    pkcs8,
    certificates: entry.certificate ? [decodePem(entry.certificate.pem, ['CERTIFICATE'], 'a certificate').der] : [],
    localKeyId: idBytes(entry.id),
    friendlyName: entry.label,
  }))
  const secret = { typeId: MANIFEST_TYPE, friendlyName: MANIFEST_NAME, value: new TextEncoder().encode(JSON.stringify(manifest)) }
  return exportPkcs12Bundle(keys, { password: passphrase, iterations: BACKUP_ITERATIONS, secrets: [secret] })
}

/**
 * Opens a backup and checks all of it: the MAC (wrong passphrase or an altered file), the manifest, and every key
 * against its entry (type, certificate). Throws one clear error; returns only a backup that can be restored whole.
 */
export async function openBackup(data: Uint8Array, passphrase: string): Promise<OpenedBackup> {
  let bags: Awaited<ReturnType<typeof readPkcs12Bags>>
  try {
    bags = await readPkcs12Bags(data, passphrase)
  } catch (error) {
    const reason = error instanceof AppError ? error.details?.['reason'] : undefined
    if (reason === 'wrong_password') {
      throw new AppError('bad_input', 'Wrong passphrase, or the backup was altered after it was written: its integrity check failed.', {
        hint: 'Type the passphrase chosen when the backup was made (it is case-sensitive). Nothing was changed.',
        details: { reason: 'wrong_passphrase' },
        cause: error,
      })
    }
    throw damaged('the file is truncated or damaged (its PKCS#12 structure does not decode). Nothing was changed.', error)
  }
  const secret = bags.secrets.find((s) => s.friendlyName === MANIFEST_NAME && s.typeId === MANIFEST_TYPE)
  if (!secret) throw damaged('it is a PKCS#12 file without a Certdesk manifest (made by another tool?). Nothing was changed.')
  let manifest: BackupManifest
  try {
    manifest = BackupManifest.parse(JSON.parse(new TextDecoder().decode(secret.value)))
  } catch (error) {
    throw damaged('its manifest does not read as a Certdesk vault backup (a newer format?). Nothing was changed.', error)
  }
  const byId = new Map<string, Uint8Array[]>()
  for (const key of bags.keys) {
    const id = key.localKeyId ? Buffer.from(key.localKeyId).toString('hex') : ''
    byId.set(id, [...(byId.get(id) ?? []), key.pkcs8])
  }
  const items = manifest.keys.map((entry): VaultItem => {
    const found = byId.get(entry.id) ?? []
    if (found.length !== 1) throw damaged(`it holds ${found.length} private keys for "${entry.label}" (${entry.id}) instead of one.`)
    const pkcs8 = found[0]!
    let keyType
    try {
      keyType = keyTypeOfKeyObject(createPrivateKey({ key: Buffer.from(pkcs8), format: 'der', type: 'pkcs8' }))
    } catch (error) {
      throw damaged(`the private key of "${entry.label}" does not decode.`, error)
    }
    if (keyType !== entry.keyType) throw damaged(`the key of "${entry.label}" is ${keyType}, its entry says ${entry.keyType}.`)
    if (entry.certificate) {
      const der = decodePem(entry.certificate.pem, ['CERTIFICATE'], 'a certificate').der
      if (sha256Hex(der) !== entry.certificate.sha256) throw damaged(`the certificate of "${entry.label}" does not match its fingerprint.`)
      const cert = bags.certificates.find((c) => c.localKeyId && Buffer.from(c.localKeyId).equals(Buffer.from(idBytes(entry.id))))
      if (!cert || !Buffer.from(cert.der).equals(Buffer.from(der))) throw damaged(`the certificate of "${entry.label}" is missing.`)
      const key = createPrivateKey({ key: Buffer.from(pkcs8), format: 'der', type: 'pkcs8' })
      try {
        assertKeyMatchesSpki(key, new X509Certificate(der).publicKey.export({ type: 'spki', format: 'der' }))
      } catch (error) {
        throw damaged(`the key of "${entry.label}" does not belong to its certificate.`, error)
      }
    }
    return { entry, pkcs8 }
  })
  const ids = new Set(items.map((i) => i.entry.id))
  if (ids.size !== items.length) throw damaged('two keys in its manifest have the same id.')
  return { manifest, items }
}
