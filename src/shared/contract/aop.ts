/**
 * `aop:*`: Authenticated Origin Pulls, the client certificate Cloudflare presents to the zone's origin (zone-level,
 * or per hostname). Uploads carry a private key, so they are not channels: the KeyService uploads a vault key's
 * certificate, and the CLI uploads files (operation `aop.upload`).
 */
import { z } from 'zod'
import { AopCertificate, AopHostname, AopKind, AopOverview } from '../origin-model'
import { KeyType, VaultEntry } from '../pki-model'
import { Hostname, Id, JobId, req, Zone } from './fields'
import { KeyId } from './keys'

export const aopContract = {
  'aop:list': { request: req(Zone), response: AopOverview },
  'aop:hostname': { request: req({ ...Zone, hostname: Hostname }), response: AopHostname },
  'aop:setEnabled': { request: req({ ...Zone, enabled: z.boolean() }), response: z.object({ enabled: z.boolean() }) },
  /** Present `certId` to the origin for these hostnames (100 per certificate), or stop presenting it (`enabled: false`). */
  'aop:associate': {
    request: req({ ...Zone, certId: Id, hostnames: z.array(Hostname).min(1).max(100), enabled: z.boolean().default(true) }),
    response: z.array(AopHostname),
  },
  /** Remove the hostnames' associations (Cloudflare's `enabled: null`), as a hostname certificate's delete requires first. */
  'aop:dissociate': { request: req({ ...Zone, hostnames: z.array(Hostname).min(1).max(100) }), response: z.array(AopHostname) },
  'aop:delete': { request: req({ ...Zone, id: Id, kind: AopKind }), response: AopCertificate },
  /** A new vault key with a client certificate signed by a vault CA (digitalSignature, clientAuth), for AOP. */
  'aop:newCertificate': {
    request: req({
      caKeyId: KeyId,
      cn: z.string().trim().min(1).max(64),
      keyType: KeyType,
      days: z.number().int().min(1).max(3650),
      jobId: JobId.optional(),
    }),
    response: z.object({ key: VaultEntry, certificatePem: z.string() }),
  },
  /** Upload a vault key's certificate with the key (read in main): zone-level, or presented for `hostnames`. */
  'aop:uploadFromVault': {
    request: req({ ...Zone, keyId: KeyId, hostnames: z.array(Hostname).max(100).optional() }),
    response: z.object({ certificate: AopCertificate, associated: z.array(AopHostname) }),
  },
} as const
