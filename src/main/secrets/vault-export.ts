/**
 * Every file a certificate or a vault key can be saved as — one place for the app's save dialog and
 * `certdesk vault export`: the bytes, the extension, the dialog's filter name, and whether the file
 * holds a private key (which decides the activity action: `key.export` or `certificate.save`).
 *  - certificate-pem / certificate-der (.cer): the certificate alone;
 *  - key-pkcs8-encrypted: PKCS#8 PEM, PBES2/AES-256-CBC;
 *  - key-pem-unencrypted: PKCS#8 PEM in the clear (nginx, curl), after an explicit warning upstream;
 *  - pkcs12 / pkcs12-legacy: key, certificate and the issuing chain the vault holds.
 */
import * as x509 from '@peculiar/x509'
import { AppError } from '../../shared/errors'
import { safeFileName } from '../../shared/file-names'
import { PASSWORD_FORMATS, type ExportFormat } from '../../shared/contract/keys'
import { decodeCertificate } from '../certs/x509'
import { decodePem, toPem } from '../pki/encode'
import type { VaultKeyRow } from '../../shared/pki-model'
import type { ActivityInput } from '../storage/activity'
import type { KeyVault } from './vault'

export interface ExportSpec {
  extension: string
  filter: string
  holdsKey: boolean
}

export const EXPORT_SPECS: Record<ExportFormat, ExportSpec> = {
  'certificate-pem': { extension: 'pem', filter: 'PEM certificate', holdsKey: false },
  'certificate-der': { extension: 'cer', filter: 'DER certificate (.cer)', holdsKey: false },
  'key-pkcs8-encrypted': { extension: 'key', filter: 'Encrypted private key (PKCS#8)', holdsKey: true },
  'key-pem-unencrypted': { extension: 'key', filter: 'Unencrypted private key (PEM)', holdsKey: true },
  pkcs12: { extension: 'p12', filter: 'PKCS#12 (AES-256)', holdsKey: true },
  'pkcs12-legacy': { extension: 'p12', filter: 'PKCS#12 (legacy 3DES, older Android/iOS/macOS)', holdsKey: true },
}

export interface RenderedExport {
  data: string | Uint8Array
  /** Certificates in a PKCS#12 besides the leaf (the vault CAs that issued it). */
  chainLength: number
}

/** The activity entry for a vault export: a file with the key is `key.export`, a certificate alone `certificate.save`. */
export function exportActivity(
  entry: { id: string; label: string; certificate?: { sha256: string } | undefined },
  format: ExportFormat,
  rendered: RenderedExport,
): ActivityInput {
  // Saving the certificate is not a key export: the audit trail says which secret left the vault.
  const holdsKey = EXPORT_SPECS[format].holdsKey
  return {
    action: holdsKey ? 'key.export' : 'certificate.save',
    target: entry.label,
    objectId: holdsKey ? entry.id : (entry.certificate?.sha256 ?? entry.id),
    objectName: entry.label,
    detail: { keyId: entry.id, format, ...(rendered.chainLength ? { chainCertificates: rendered.chainLength } : {}) },
  }
}

/** The default file name for a label: Unicode letters kept, path separators and control characters gone. */
export function exportFileName(label: string, format: ExportFormat): string {
  return `${safeFileName(label, 'certificate')}.${EXPORT_SPECS[format].extension}`
}

/** A certificate given as PEM (any certificate, vault or not) as a PEM or DER file; anything else is refused. */
export function certificateFile(
  pem: string,
  format: 'certificate-pem' | 'certificate-der',
): { data: string | Uint8Array; subject: string } {
  const der = decodePem(pem, ['CERTIFICATE'], 'a certificate').der
  const cert = decodeCertificate(der, {
    message: 'The certificate could not be decoded, so it was not saved.',
    hint: 'Save a certificate as Cloudflare or a CA issued it.',
  })
  return { data: format === 'certificate-der' ? der : toPem(der, 'CERTIFICATE'), subject: cert.subject }
}

/** The vault's keys as listed (app and CLI): each with its certificate's name, issuer and expiry. */
export async function vaultKeyRows(vault: KeyVault): Promise<VaultKeyRow[]> {
  return Promise.all(
    vault.list().map(async (entry) => {
      if (!entry.certificate) return entry
      const cert = new x509.X509Certificate(decodePem(entry.certificate.pem, ['CERTIFICATE'], 'a certificate').der)
      const commonName = cert.subjectName.getField('CN')[0] ?? cert.subject
      const selfSigned = await cert.isSelfSigned()
      const info = { commonName, subject: cert.subject, issuer: cert.issuer, notAfter: cert.notAfter.toISOString(), selfSigned }
      return { ...entry, certificateInfo: info }
    }),
  )
}

/** The bytes of `format` for vault key `id`; refuses a format that needs a certificate or a password it lacks. */
export async function renderVaultExport(vault: KeyVault, id: string, format: ExportFormat, password?: string): Promise<RenderedExport> {
  const entry = vault.get(id)
  const spec = EXPORT_SPECS[format]
  if (PASSWORD_FORMATS.has(format) && !password) {
    throw new AppError('bad_input', `${spec.filter} exports need a password.`, {
      hint: 'Give a password of at least 8 characters; whoever installs the file will need it.',
    })
  }
  if (format !== 'key-pkcs8-encrypted' && format !== 'key-pem-unencrypted' && !entry.certificate) {
    throw new AppError('bad_input', `"${entry.label}" has no certificate yet.`, {
      hint: 'Issue the certificate first, or export the key alone.',
    })
  }
  switch (format) {
    case 'certificate-pem':
    case 'certificate-der':
      return { data: certificateFile(entry.certificate!.pem, format).data, chainLength: 0 }
    case 'key-pkcs8-encrypted':
      return { data: await vault.exportPkcs8(id, password), chainLength: 0 }
    case 'key-pem-unencrypted':
      return { data: await vault.exportPkcs8(id), chainLength: 0 }
    case 'pkcs12':
    case 'pkcs12-legacy': {
      const chainPems = await vault.issuerChain(id)
      const data = await vault.exportPkcs12(id, password!, { legacy: format === 'pkcs12-legacy', chainPems })
      return { data, chainLength: chainPems.length }
    }
  }
}
