/**
 * The origin leg of a zone: Authenticated Origin Pulls (the client certificate Cloudflare presents to the origin,
 * zone-level or per hostname, and the zone setting) and Origin CA certificates (the origin's server certificates signed
 * by Cloudflare's Origin CA). Private keys never reach the renderer: an AOP certificate is made and uploaded from a vault
 * key in main, and an Origin CA certificate is made from a vault key's CSR.
 */
import type { ResponseOf } from '../../../shared/contract'
import type { Result } from '../../../shared/errors'
import type { AopCertificate, AopHostname, AopKind, AopOverview, OriginCaCertificate, OriginCaValidity } from '../../../shared/origin-model'
import type { KeyType, VaultEntry } from '../../../shared/pki-model'
import type { SliceCreator } from '.'
import { attempt } from '../api'
import { shortId } from '../lib/format'
import { emptyList, scopedList, scopedView, scopeId, type ScopedList, type ScopedViewState, type ZoneScope } from './scope'

export interface AopView extends ScopedViewState {
  overview: AopOverview | null
}

export type AopNewCertificate = ResponseOf<'aop:newCertificate'>
export type AopUploaded = ResponseOf<'aop:uploadFromVault'>
export type NewAopRequest = { caKeyId: string; cn: string; keyType: KeyType; days: number }
export type OriginCaRequest = { hostnames: string[]; keyType: KeyType; validityDays: OriginCaValidity }
export type OriginCaCreated = { certificate: OriginCaCertificate; key: VaultEntry }

export interface OriginSlice {
  aop: AopView
  originCerts: ScopedList<OriginCaCertificate>
  loadAop(zone: ZoneScope): Promise<void>
  /** Which certificate `hostname` presents to the origin (per-hostname AOP), and when it expires; `enabled: null` = none of its own. */
  lookupAopHostname(zone: ZoneScope, hostname: string): Promise<Result<AopHostname>>
  setAopEnabled(zone: ZoneScope, enabled: boolean): Promise<Result<{ enabled: boolean }>>
  /** A new vault key with a client certificate signed by the vault CA `caKeyId`; the failure is left to the dialog. */
  newAopCertificate(request: NewAopRequest, jobId: string): Promise<Result<AopNewCertificate>>
  /** Uploads a vault key's certificate with its key (read in main): zone-level, or presented for `hostnames`. */
  uploadAop(zone: ZoneScope, keyId: string, hostnames?: string[]): Promise<Result<AopUploaded>>
  associateAop(zone: ZoneScope, certId: string, hostnames: string[]): Promise<Result<AopHostname[]>>
  deleteAop(zone: ZoneScope, id: string, kind: AopKind): Promise<Result<AopCertificate>>
  loadOriginCerts(zone: ZoneScope): Promise<void>
  /** A new vault key, its CSR with the hostnames as SANs, signed by Cloudflare's Origin CA and linked to the key. */
  createOriginCert(zone: ZoneScope, request: OriginCaRequest, jobId: string): Promise<Result<OriginCaCreated>>
  revokeOriginCert(zone: ZoneScope, id: string): Promise<Result<unknown>>
  /** The Origin CA's root(s) (Cloudflare's RSA and ECC, or the Sandbox's), each saved through main's save dialog. */
  saveOriginCaRoot(profileId: string): Promise<Result<unknown>>
}

const emptyAop = (): AopView => ({ scope: null, overview: null, loading: false, error: null })

/** The request type Cloudflare's Origin CA signs for a key: RSA or ECDSA. */
export const originRequestType = (keyType: KeyType) => (keyType.startsWith('ec-') ? 'origin-ecc' : 'origin-rsa')

export const createOriginSlice: SliceCreator<OriginSlice> = (set, get, api) => {
  const loadAop = scopedView(
    () => get().aop,
    (aop) => set({ aop }),
    emptyAop,
  )
  const origin = scopedList(set, get, 'originCerts')
  const reloadAop = async (zone: ZoneScope) => {
    if (get().aop.scope === scopeId.zone(zone)) await get().loadAop(zone)
  }
  /** One change to the zone: reported (the failure in place when asked), the zone's AOP read again. */
  const act = async <T>(zone: ZoneScope, work: () => Promise<T>, success: (value: T) => string, inPlace = false): Promise<Result<T>> => {
    const result = await attempt(work)
    get().report(result, result.ok ? success(result.value) : undefined, inPlace)
    await reloadAop(zone)
    return result
  }
  return {
    aop: emptyAop(),
    originCerts: emptyList(),
    loadAop: (zone) => loadAop(scopeId.zone(zone), async () => ({ overview: await api.aop.list({ ...zone }) })),
    lookupAopHostname: async (zone, hostname) => {
      const result = await attempt(() => api.aop.hostname({ ...zone, hostname }))
      // Cloudflare answers 404 for a hostname without a per-hostname setting: it has no certificate of its own.
      if (!result.ok && result.error.code === 'not_found') return { ok: true, value: { hostname, enabled: null } }
      return result
    },
    setAopEnabled: (zone, enabled) =>
      act(
        zone,
        () => api.aop.setEnabled({ ...zone, enabled }),
        (v) => `Zone-level Authenticated Origin Pulls is ${v.enabled ? 'on' : 'off'}.`,
      ),
    newAopCertificate: (request, jobId) => get().vaulting(() => api.aop.newCertificate({ ...request, jobId }), jobId),
    uploadAop: (zone, keyId, hostnames) =>
      act(
        zone,
        () => api.aop.uploadFromVault({ ...zone, keyId, ...(hostnames?.length ? { hostnames } : {}) }),
        (v) =>
          `Uploaded AOP certificate ${shortId(v.certificate.id)}` +
          (v.associated.length ? ` for ${v.associated.map((h) => h.hostname).join(', ')}.` : ' (zone-level).'),
        true,
      ),
    associateAop: (zone, certId, hostnames) =>
      act(
        zone,
        () => api.aop.associate({ ...zone, certId, hostnames, enabled: true }),
        () => `${hostnames.join(', ')} now present${hostnames.length === 1 ? 's' : ''} certificate ${shortId(certId)}.`,
        true,
      ),
    deleteAop: (zone, id, kind) =>
      act(
        zone,
        () => api.aop.delete({ ...zone, id, kind }),
        () => `Deleting AOP certificate ${shortId(id)}.`,
      ),
    loadOriginCerts: (zone) => origin.load(scopeId.zone(zone), () => api.originCa.list({ ...zone })),
    createOriginCert: async (zone, request, jobId) => {
      const result = await attempt(async () => {
        const made = await api.keys.newCsr({
          keyType: request.keyType,
          subject: { cn: request.hostnames[0]! },
          sans: request.hostnames,
          label: `Origin CA ${request.hostnames[0]!}`,
          jobId,
        })
        return api.originCa.createForKey({
          ...zone,
          keyId: made.key.id,
          hostnames: request.hostnames,
          requestType: originRequestType(request.keyType),
          validityDays: request.validityDays,
        })
      })
      get().endJob(jobId)
      get().report(result, result.ok ? `Created Origin CA certificate ${shortId(result.value.certificate.id)}.` : undefined, true)
      void get().loadKeys()
      if (result.ok) {
        const created = result.value.certificate
        origin.update(scopeId.zone(zone), (items) => [created, ...items.filter((c) => c.id !== created.id)])
      }
      return result
    },
    saveOriginCaRoot: async (profileId) => {
      const result = await attempt(() => api.originCa.root({ profileId }))
      if (!result.ok) {
        get().report(result)
        return result
      }
      for (const root of result.value.roots) {
        const name = `origin-ca-root-${root.name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`
        const saved = await get().saveCertificate(root.pem, 'certificate-pem', name)
        if (!saved.ok) return saved
      }
      return result
    },
    revokeOriginCert: async (zone, id) => {
      const result = await attempt(() => api.originCa.revoke({ ...zone, id }))
      get().report(result, `Revoked Origin CA certificate ${shortId(id)}.`)
      if (result.ok) origin.update(scopeId.zone(zone), (items) => items.filter((c) => c.id !== id))
      return result
    },
  }
}
