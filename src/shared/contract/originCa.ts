/**
 * `originCa:*`: Origin CA certificates, server certificates for the zone's origin signed by Cloudflare's Origin CA
 * (trusted by Cloudflare's edge in Full (strict) mode, never by browsers). A certificate is made from a CSR: the key
 * stays on this machine.
 */
import { z } from 'zod'
import { OriginCaCertificate, OriginCaRequestType, OriginCaValidity } from '../origin-model'
import { VaultEntry } from '../pki-model'
import { Hostname, Id, Pem, ProfileId, req, Zone } from './fields'
import { KeyId } from './keys'

export const originCaContract = {
  'originCa:list': { request: req(Zone), response: z.array(OriginCaCertificate) },
  'originCa:get': { request: req({ ...Zone, id: Id }), response: OriginCaCertificate },
  'originCa:create': {
    request: req({
      ...Zone,
      csrPem: Pem,
      hostnames: z.array(Hostname).min(1).max(100),
      /** Absent: from the CSR's key (RSA → origin-rsa, EC → origin-ecc). */
      requestType: OriginCaRequestType.optional(),
      validityDays: OriginCaValidity,
    }),
    response: OriginCaCertificate,
  },
  /** The same from a vault key's CSR; the certificate is linked to the key, which never leaves the machine. */
  'originCa:createForKey': {
    request: req({
      ...Zone,
      keyId: KeyId,
      hostnames: z.array(Hostname).min(1).max(100),
      requestType: OriginCaRequestType.optional(),
      validityDays: OriginCaValidity,
    }),
    response: z.object({ certificate: OriginCaCertificate, key: VaultEntry }),
  },
  /** The Origin CA's root(s): Cloudflare's published RSA and ECC roots, or the Sandbox's own for a Sandbox profile. */
  'originCa:root': {
    request: req({ profileId: ProfileId }),
    response: z.object({
      source: z.enum(['cloudflare', 'sandbox']),
      roots: z.array(z.object({ name: z.string(), pem: z.string(), sha256: z.string(), notAfter: z.string() })),
    }),
  },
  'originCa:revoke': { request: req({ ...Zone, id: Id }), response: z.object({ id: z.string(), revokedAt: z.string().optional() }) },
} as const
