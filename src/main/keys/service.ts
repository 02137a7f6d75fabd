/**
 * The key workflows, for the app (IPC handlers) and the CLI alike: keys and CSRs, local roots and
 * Gateway (BYOPKI) roots generated into the vault, a root imported with its key, client certificates
 * issued for a vault key and linked to it, a root uploaded with its key, and exports.
 * Every private key is saved in the vault before anything is sent to Cloudflare.
 * Asking the user (save dialog, confirmation) is the caller's: it passes how to ask.
 */
import type { GatewayUploadResult } from '../../shared/cloudflare-model'
import type { AopCertificate, AopHostname, OriginCaCertificate, OriginCaRequestType, OriginCaValidity } from '../../shared/origin-model'
import type { ExportFormat } from '../../shared/contract/keys'
import { AppError } from '../../shared/errors'
import type { CertificateCheck } from '../../shared/lint-model'
import type { CsrSubject, KeyType, VaultEntry, VaultKeyRow } from '../../shared/pki-model'
import type { CloudflareService, LongOperation } from '../cloudflare'
import type { ClientCertIssuer, IssueResult } from '../cloudflare/issuance'
import { checkCertificate } from '../lint/check'
import type { ExportSpec, RenderedExport } from '../secrets/vault-export'
import { publicKeyDer, type KeyVault } from '../secrets/vault'
import type { ActivityLog } from '../storage/activity'
import { writeFileAtomic } from '../storage/json-file'
import type { DecodedCsr, KeyPair } from './material'

// Loaded on first use: building the services (every CLI command does) does not pay for the CSR, CA and export code.
const material = () => import('./material')
const files = () => import('../secrets/vault-export')

export interface KeyServiceDeps {
  vault: KeyVault
  activity: Pick<ActivityLog, 'record'>
  /** Cloudflare, for the two flows that send a vault key's CSR or root there. */
  issuer: Pick<ClientCertIssuer, 'issue'>
  cloudflare: Pick<CloudflareService, 'run'>
}

/** Where to write a file: a save dialog in the app, `--out` on the command line; null when the user cancels. */
export type ChooseFile = (suggestion: { title: string; defaultName: string; extensions: string[] }) => Promise<string | null>

interface RootOptions {
  cn: string
  o?: string | undefined
  keyType: KeyType
  days: number
  /** basicConstraints pathLenConstraint; omitted means unlimited. */
  pathLen?: number | undefined
}

/** The certificate a same-key reissue took the key's link from: its Cloudflare id (to revoke it) and fingerprint. */
export interface ReplacedCertificate {
  sha256: string
  cloudflareId?: string
}

/** A CA certificate re-issued with the same key, and what identified the one it replaced. */
export interface ReissuedCa {
  key: VaultEntry
  certificatePem: string
  serialNumber: string
  notAfter: string
  previous: { sha256: string; serialNumber: string; notAfter: string }
}

/** A generated or imported Gateway root with its checks: Python's strict verification and Gateway's own. */
export interface GatewayRoot<Key = VaultEntry | null> {
  key: Key
  certificatePem: string
  strict: CertificateCheck
  gateway: CertificateCheck
}

function gatewayChecks(certificatePem: string, name: string): { strict: CertificateCheck; gateway: CertificateCheck } {
  const input = { text: certificatePem, name }
  return {
    strict: checkCertificate(input, { profile: 'python-strict' }),
    gateway: checkCertificate(input, { profile: 'gateway-byopki' }),
  }
}

export class KeyService {
  constructor(private readonly deps: KeyServiceDeps) {}

  /** The vault's entries as stored (no certificate decoding). */
  entries(): VaultEntry[] {
    return this.deps.vault.list()
  }

  /** Every vault key, newest first, each with its certificate decoded (name, issuer, expiry). */
  list(): Promise<VaultKeyRow[]> {
    return files().then((f) => f.vaultKeyRows(this.deps.vault))
  }

  /** A new key, saved in the vault with its CSR (the create wizard's first step). */
  async newCsr(
    request: { keyType: KeyType; subject: CsrSubject & { cn: string }; sans: string[]; label?: string | undefined },
    { signal, onProgress }: LongOperation = {},
  ): Promise<{ key: VaultEntry; csrPem: string; decoded: DecodedCsr }> {
    const { keyType, subject, sans, label } = request
    onProgress?.({ done: 0, total: 2, message: 'Generating the key' })
    const { generateKey, newCsr } = await material()
    const keys = await generateKey(keyType, signal ? { signal } : {})
    onProgress?.({ done: 1, total: 2, message: 'Signing the CSR' })
    const csr = await newCsr({ keys, subject, sans })
    const key = await this.deps.vault.save({ privateKey: keys.privateKey, keyType, label: label || subject.cn, csrPem: csr.pem })
    onProgress?.({ done: 2, total: 2 })
    this.recordCreated('key.create', key.label, key, { keyType })
    return { key, csrPem: csr.pem, decoded: csr.decoded }
  }

  /** A local root CA (for Access mTLS or an account CA upload), key in the vault, linted as a root CA. */
  async newRoot(
    request: RootOptions & { permittedDns: string[] },
    operation: LongOperation = {},
  ): Promise<{ key: VaultEntry; certificatePem: string; check: CertificateCheck }> {
    const { cn, keyType, days } = request
    const { key, certificatePem } = await this.vaultedRoot({ ...request, label: `Root ${cn}` }, operation)
    this.recordCreated('key.createRoot', cn, key, { keyType, days })
    return { key, certificatePem, check: checkCertificate({ text: certificatePem, name: cn }, { profile: 'root-ca' }) }
  }

  /** A root for Gateway TLS inspection (BYOPKI), key in the vault, with Gateway's checks. */
  async generateGatewayRoot(request: RootOptions, operation: LongOperation = {}): Promise<GatewayRoot<VaultEntry>> {
    const { cn, keyType, days } = request
    const { key, certificatePem } = await this.vaultedRoot({ ...request, label: `Gateway root ${cn}` }, operation)
    this.recordCreated('gateway.generateRoot', cn, key, { keyType, days })
    return { key, certificatePem, ...gatewayChecks(certificatePem, cn) }
  }

  /**
   * An existing root and its key for Gateway: checked to match and linted. The key is kept only when
   * Gateway can use the root (key null otherwise, nothing kept); the same root again is the key
   * already in the vault, not a second copy.
   */
  async importGatewayRoot(request: {
    certificatePem: string
    keyPem: string
    passphrase?: string | undefined
    label?: string | undefined
  }): Promise<GatewayRoot> {
    const { vault } = this.deps
    const root = await (await material()).readRootWithKey(request.certificatePem, request.keyPem, request.passphrase)
    const checks = gatewayChecks(root.pem, root.name)
    // A root Gateway cannot use is not kept: the findings say what to fix, and nothing is left behind.
    if (!checks.gateway.reports.every((r) => r.passed)) return { key: null, certificatePem: root.pem, ...checks }
    const known = vault.list().find((e) => e.certificate?.sha256 === root.sha256)
    if (known) return { key: known, certificatePem: root.pem, ...checks }
    const { privateKey, type } = root.keys
    const key = await this.saveLinked({ privateKey, keyType: type, label: request.label || `Gateway root ${root.name}` }, root.pem)
    this.recordCreated('gateway.importRoot', root.name, key, { keyType: type })
    return { key, certificatePem: root.pem, ...checks }
  }

  /**
   * Issues the vault key's CSR at Cloudflare and links the certificate to the key (cloudflare/issuance.ts). `replace`:
   * the key's certificate is reissued with the same key and the new one takes its place in the link; the old one's id
   * is kept in the key's activity (and returned as `replaced`), so it can still be revoked.
   */
  async issueForKey(request: {
    profileId: string
    zoneId: string
    keyId: string
    validityDays: number
    replace?: boolean | undefined
  }): Promise<Omit<IssueResult, 'resumed' | 'key'> & { key: VaultEntry; replaced?: ReplacedCertificate }> {
    const { vault, issuer } = this.deps
    const { profileId, zoneId, keyId, validityDays, replace } = request
    const entry = vault.get(keyId)
    if (!entry.csrPem) {
      throw new AppError('bad_input', `"${entry.label}" has no CSR to issue.`, {
        hint: 'Create the key with the client certificate wizard.',
      })
    }
    const old = replace ? entry.certificate : undefined
    // Lint, key decrypted, intent recorded, then issued and linked.
    const issued = await issuer.issue(profileId, { zoneId }, { csrPem: entry.csrPem, validityDays, keyId, ...(old ? { replace } : {}) })
    const { resumed: _resumed, key, ...result } = issued
    if (!old) return { ...result, key: key ?? vault.get(keyId) }
    const replaced = { sha256: old.sha256, ...(old.cloudflareId ? { cloudflareId: old.cloudflareId } : {}) }
    this.deps.activity.record({
      action: 'key.reissueClientCert',
      target: entry.label,
      profileId,
      objectId: entry.id,
      objectName: entry.label,
      detail: {
        keyId: entry.id,
        certificateId: result.certificate.id,
        previousCertificateId: old.cloudflareId ?? null,
        previousZoneId: old.zoneId ?? null,
        previousSha256: old.sha256,
      },
    })
    return { ...result, key: key ?? vault.get(keyId), replaced }
  }

  /**
   * A vault CA's certificate re-issued with the same key: same subject, SKI and extensions, new serial and validity
   * (`days`, or as long as the original), linked in place of the old one; the old certificate is kept in the key's
   * activity. A root signs itself; an intermediate is signed by its issuer's key, which must be in the vault.
   */
  async reissueCa(request: { keyId: string; days?: number | undefined }): Promise<ReissuedCa> {
    const { vault } = this.deps
    const entry = vault.get(request.keyId)
    const old = entry.certificate
    if (!old) {
      throw new AppError('bad_input', `"${entry.label}" has no CA certificate to re-issue.`, {
        hint: 'Only a key linked to its CA certificate (a local root CA, for instance) can be re-issued.',
      })
    }
    const { reissueCa, certificateFacts } = await material()
    const before = certificateFacts(old.pem)
    const issuer = before.selfSigned ? undefined : await this.vaultIssuer(entry, before)
    const signed = await reissueCa({ certificatePem: old.pem, key: await vault.privateKey(entry.id), days: request.days, issuer })
    const key = await vault.linkCertificate(entry.id, signed.certificatePem)
    const previous = { sha256: old.sha256, serialNumber: before.serialNumber, notAfter: before.notAfter }
    this.deps.activity.record({
      action: 'key.reissueCa',
      target: entry.label,
      objectId: entry.id,
      objectName: entry.label,
      detail: {
        keyId: entry.id,
        serialNumber: signed.serialNumber,
        notAfter: signed.notAfter,
        previousSha256: previous.sha256,
        previousSerialNumber: previous.serialNumber,
        previousNotAfter: previous.notAfter,
        // The replaced certificate itself, so nothing is lost (a backup carries the key's activity).
        previousCertificate: old.pem,
      },
    })
    return { key, certificatePem: signed.certificatePem, serialNumber: signed.serialNumber, notAfter: signed.notAfter, previous }
  }

  /** The vault key (and certificate) that issued `entry`'s intermediate certificate, or a clear error. */
  private async vaultIssuer(
    entry: VaultEntry,
    facts: { issuer: string },
  ): Promise<{ certificatePem: string; key: Awaited<ReturnType<KeyVault['privateKey']>> }> {
    const { issuedBy } = await material()
    const found = this.deps.vault
      .list()
      .find((e) => e.id !== entry.id && e.certificate && issuedBy(entry.certificate!.pem, e.certificate.pem))
    if (!found?.certificate) {
      throw new AppError('bad_input', `"${entry.label}" was issued by "${facts.issuer}", whose key is not in the vault.`, {
        hint: 'Re-issue it where that CA’s key is, or make a new intermediate.',
      })
    }
    return { certificatePem: found.certificate.pem, key: await this.deps.vault.privateKey(found.id) }
  }

  /** Uploads a vault root with its key as a Gateway certificate, and finds the certificate it became. */
  async uploadGatewayRoot(
    request: { profileId: string; accountId: string; keyId: string; name?: string | undefined },
    operation: LongOperation = {},
  ): Promise<GatewayUploadResult> {
    const { vault, cloudflare } = this.deps
    const { profileId, accountId, keyId, name } = request
    const entry = vault.get(keyId)
    if (!entry.certificate)
      throw new AppError('bad_input', `"${entry.label}" has no root certificate.`, { hint: 'Generate the root first.' })
    const upload = { profileId, accountId, name: name || entry.label, chainPem: entry.certificate.pem }
    return cloudflare.run('gateway.uploadRoot', { ...upload, privateKeyPem: await vault.exportPkcs8(keyId) }, operation)
  }

  /**
   * An AOP client certificate: a new vault key whose CSR a vault CA signs as a client certificate (key usage
   * digitalSignature, extended key usage clientAuth), linked to the key. A failure after the key was made takes it
   * out again: nothing half-made stays in the vault.
   */
  async newAopCertificate(
    request: { caKeyId: string; cn: string; keyType: KeyType; days: number },
    operation: LongOperation = {},
  ): Promise<{ key: VaultEntry; certificatePem: string }> {
    const { vault } = this.deps
    const ca = vault.get(request.caKeyId)
    if (!ca.certificate) {
      throw new AppError('bad_input', `"${ca.label}" has no CA certificate to sign with.`, { hint: 'Create a local root CA first.' })
    }
    const { key, csrPem } = await this.newCsr(
      { keyType: request.keyType, subject: { cn: request.cn }, sans: [], label: `AOP ${request.cn}` },
      operation,
    )
    try {
      const { signCsr } = await material()
      const caKey = await vault.privateKey(ca.id)
      const signed = await signCsr({ caCertPem: ca.certificate.pem, caKey, csrPem, profile: 'client', days: request.days })
      const linked = await vault.linkCertificate(key.id, signed.certificatePem)
      return { key: linked, certificatePem: signed.certificatePem }
    } catch (error) {
      await vault.delete(key.id)
      throw error
    }
  }

  /** Uploads a vault key's certificate with the key for AOP: zone-level, or presented for `hostnames`. */
  async uploadAop(request: {
    profileId: string
    zoneId: string
    keyId: string
    hostnames?: readonly string[] | undefined
  }): Promise<{ certificate: AopCertificate; associated: AopHostname[] }> {
    const { vault, cloudflare } = this.deps
    const { profileId, zoneId, keyId, hostnames = [] } = request
    const entry = vault.get(keyId)
    if (!entry.certificate) {
      throw new AppError('bad_input', `"${entry.label}" has no certificate to present to the origin.`, {
        hint: 'Issue its AOP certificate first.',
      })
    }
    const kind = hostnames.length ? 'hostname' : 'zone'
    const privateKeyPem = await vault.exportPkcs8(keyId)
    const certificate = await cloudflare.run('aop.upload', {
      profileId,
      zoneId,
      kind,
      certificatePem: entry.certificate.pem,
      privateKeyPem,
    })
    const associated = hostnames.length
      ? await cloudflare.run('aop.associate', { profileId, zoneId, certId: certificate.id, hostnames: [...hostnames], enabled: true })
      : []
    return { certificate, associated }
  }

  /** Sends a vault key's CSR to Cloudflare's Origin CA and links the signed certificate to the key (which stays here). */
  async createOriginCaForKey(request: {
    profileId: string
    zoneId: string
    keyId: string
    hostnames: string[]
    validityDays: OriginCaValidity
    requestType?: OriginCaRequestType | undefined
  }): Promise<{ certificate: OriginCaCertificate; key: VaultEntry }> {
    const { vault, cloudflare } = this.deps
    const { keyId, ...create } = request
    const entry = vault.get(keyId)
    if (!entry.csrPem) {
      throw new AppError('bad_input', `"${entry.label}" has no CSR to send.`, { hint: 'Create the key with a CSR first.' })
    }
    const certificate = await cloudflare.run('originCa.create', { ...create, csrPem: entry.csrPem })
    const key = certificate.certificate ? await vault.linkCertificate(keyId, certificate.certificate) : entry
    return { certificate, key }
  }

  /**
   * A private key from a file (PEM or DER, possibly encrypted) into the vault, with its certificate when given (checked
   * to belong to it). A key the vault holds already is not saved twice: that entry is returned, `existing`.
   */
  async importKey(request: {
    key: string | Uint8Array
    password?: string | undefined
    certificatePem?: string | undefined
    label: string
  }): Promise<{ key: VaultEntry; existing: boolean }> {
    const { vault } = this.deps
    const { readKeyPair, exportPkcs8Der, certificateDers } = await material()
    const keys = await readKeyPair(request.key, request.password)
    if (request.certificatePem !== undefined && certificateDers(request.certificatePem).length === 0) {
      throw new AppError('bad_input', 'The certificate file holds no PEM certificate.', {
        hint: 'Give the PEM certificate issued for this key.',
      })
    }
    const ours = publicKeyDer(await exportPkcs8Der(keys.privateKey))
    const known = vault.list().length ? (await vault.items()).find((i) => publicKeyDer(i.pkcs8).equals(ours)) : undefined
    if (known) return { key: known.entry, existing: true }
    const input = { privateKey: keys.privateKey, keyType: keys.type, label: request.label }
    const key = request.certificatePem ? await this.saveLinked(input, request.certificatePem) : await this.deps.vault.save(input)
    this.recordCreated('key.import', key.label, key, { keyType: key.keyType })
    return { key, existing: false }
  }

  /** Deletes a key (its file overwritten first) once `confirm` said yes; a "no" keeps it. */
  async delete(id: string, confirm: (entry: VaultEntry) => Promise<boolean>): Promise<{ deleted: boolean; entry: VaultEntry }> {
    const entry = this.deps.vault.get(id)
    if (!(await confirm(entry))) return { deleted: false, entry }
    await this.deps.vault.delete(id)
    const label = entry.label
    this.deps.activity.record({ action: 'key.delete', target: label, objectId: id, objectName: label, detail: { keyId: id } })
    return { deleted: true, entry }
  }

  /**
   * Writes a vault key's certificate, key or PKCS#12 where `choose` says (null: cancelled, nothing
   * written). Rendered first, so a missing certificate or password is said before anyone is asked.
   */
  async export(
    id: string,
    format: ExportFormat,
    password: string | undefined,
    choose: ChooseFile,
  ): Promise<{ savedTo: string | null; entry: VaultEntry; rendered: RenderedExport; spec: ExportSpec }> {
    const entry = this.deps.vault.get(id)
    const { EXPORT_SPECS, exportActivity, exportFileName, renderVaultExport } = await files()
    const spec = EXPORT_SPECS[format]
    const rendered = await renderVaultExport(this.deps.vault, id, format, password)
    const savedTo = await choose({
      title: `Export ${spec.filter}`,
      defaultName: exportFileName(entry.label, format),
      extensions: [spec.extension],
    })
    if (!savedTo) return { savedTo: null, entry, rendered, spec }
    // Key material 0600; a certificate alone is public.
    writeFileAtomic(savedTo, rendered.data, spec.holdsKey ? 0o600 : 0o644)
    this.deps.activity.record(exportActivity(entry, format, rendered))
    return { savedTo, entry, rendered, spec }
  }

  /** Any certificate (vault or not) as a PEM or DER file where `choose` says; null when cancelled. */
  async saveCertificate(
    request: { pem: string; format: 'certificate-pem' | 'certificate-der'; name: string },
    choose: ChooseFile,
  ): Promise<{ savedTo: string | null }> {
    const { pem, format, name } = request
    const { EXPORT_SPECS, certificateFile, exportFileName } = await files()
    const file = certificateFile(pem, format)
    const spec = EXPORT_SPECS[format]
    const label = name || file.subject
    const savedTo = await choose({ title: `Save ${spec.filter}`, defaultName: exportFileName(label, format), extensions: [spec.extension] })
    if (!savedTo) return { savedTo: null }
    writeFileAtomic(savedTo, file.data, 0o644)
    this.deps.activity.record({ action: 'certificate.save', target: label, objectName: label, detail: { format } })
    return { savedTo }
  }

  /** The activity entry of a key made here, named `name`, with its id and `detail`. */
  private recordCreated(action: string, name: string, key: VaultEntry, detail: Record<string, string | number>): void {
    this.deps.activity.record({ action, target: name, objectId: key.id, objectName: name, detail: { keyId: key.id, ...detail } })
  }

  /** A self-signed root whose key is saved in the vault first, then linked to its certificate. */
  private async vaultedRoot(
    options: RootOptions & { permittedDns?: string[]; label: string },
    { signal, onProgress }: LongOperation,
  ): Promise<{ key: VaultEntry; certificatePem: string }> {
    const { label, cn, o, keyType, days, permittedDns, pathLen } = options
    onProgress?.({ done: 0, total: 2, message: `Generating a ${keyType} key` })
    const created = await (
      await material()
    ).createRootCa({
      cn,
      ...(o ? { o } : {}),
      keyType,
      days,
      ...(permittedDns ? { permittedDns } : {}),
      ...(pathLen === undefined ? {} : { pathLen }),
      ...(signal ? { signal } : {}),
    })
    onProgress?.({ done: 1, total: 2, message: 'Saving the key and checking the root' })
    const key = await this.saveLinked({ privateKey: created.privateKey, keyType, label }, created.certificatePem)
    onProgress?.({ done: 2, total: 2 })
    return { key, certificatePem: created.certificatePem }
  }

  /** Saves a key and links its certificate; a link that fails takes the key out again (no half-made entry). */
  private async saveLinked(
    input: { privateKey: KeyPair['privateKey']; keyType: KeyType; label: string },
    certificatePem: string,
  ): Promise<VaultEntry> {
    const saved = await this.deps.vault.save(input)
    try {
      return await this.deps.vault.linkCertificate(saved.id, certificatePem)
    } catch (error) {
      await this.deps.vault.delete(saved.id)
      throw error
    }
  }
}
