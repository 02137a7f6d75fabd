/**
 * The Cloudflare part of the IPC contract: request and response schemas per channel, spread into
 * contract.ts. Every request names the profile; tokens and private keys never appear here.
 */
import { z } from 'zod'
import { MAX_PEM_FIELD_CHARS, PEM_FIELD_TOO_LONG } from './pem'
import {
  AccessCertificateSummary,
  AccessHostnameSetting,
  AccessScope,
  BulkRevokeResult,
  ClientCertificateCreateResult,
  ClientCertificateSummary,
  ClientCertStatusFilter,
  GatewayCertificateSummary,
  HostnamePlan,
  MAX_VALIDITY_DAYS,
  MtlsAssociation,
  MtlsCertificateSummary,
  MtlsCertificateType,
  TokenIdentity,
} from './cloudflare-model'

/** Chosen by the renderer for a long operation, so it can follow its progress and cancel it. */
export const JobId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/)

const ProfileId = z.uuid()
const Id = z.string().min(1).max(64)
const Hostname = z.string().trim().min(1).max(253)
const Pem = z.string().min(1).max(MAX_PEM_FIELD_CHARS, PEM_FIELD_TOO_LONG)
const Zone = { profileId: ProfileId, zoneId: Id }
const Account = { profileId: ProfileId, accountId: Id }
const Access = { profileId: ProfileId, scope: AccessScope }
const Ca = { mtlsCertificateId: Id.optional() }

const req = <T extends z.ZodRawShape>(shape: T) => z.object(shape).strict()

export const cloudflareContract = {
  'profiles:verify': { request: req({ id: ProfileId }), response: TokenIdentity },

  'clientCerts:list': {
    request: req({ ...Zone, status: ClientCertStatusFilter.default('all'), jobId: JobId.optional() }),
    response: z.array(ClientCertificateSummary),
  },
  'clientCerts:get': { request: req({ ...Zone, id: Id }), response: ClientCertificateSummary },
  'clientCerts:createFromCsr': {
    request: req({ ...Zone, csrPem: Pem, validityDays: z.number().int().min(1).max(MAX_VALIDITY_DAYS) }),
    response: ClientCertificateCreateResult,
  },
  'clientCerts:revoke': { request: req({ ...Zone, id: Id }), response: ClientCertificateSummary },
  'clientCerts:reactivate': { request: req({ ...Zone, id: Id }), response: ClientCertificateSummary },
  'clientCerts:bulkRevoke': { request: req({ ...Zone, ids: z.array(Id).min(1).max(50_000), jobId: JobId }), response: BulkRevokeResult },

  'hostnames:get': { request: req({ ...Zone, ...Ca }), response: z.array(z.string()) },
  'hostnames:plan': {
    request: req({ ...Zone, ...Ca, hostnames: z.array(Hostname).max(1000) }),
    response: z.object({ current: z.array(z.string()), plan: HostnamePlan }),
  },
  'hostnames:replace': {
    request: req({ ...Zone, ...Ca, hostnames: z.array(Hostname).max(1000), expectedCurrent: z.array(z.string()).max(1000) }),
    response: z.object({ plan: HostnamePlan, hostnames: z.array(z.string()), changed: z.boolean() }),
  },

  'access:list': { request: req(Access), response: z.array(AccessCertificateSummary) },
  'access:add': {
    request: req({
      ...Access,
      name: z.string().trim().min(1).max(200),
      certificatePem: Pem,
      hostnames: z.array(Hostname).max(1000).optional(),
    }),
    response: AccessCertificateSummary,
  },
  'access:updateHostnames': {
    request: req({ ...Access, id: Id, hostnames: z.array(Hostname).max(1000) }),
    response: AccessCertificateSummary,
  },
  'access:delete': {
    request: req({ ...Access, id: Id, jobId: JobId.optional() }),
    response: z.object({ id: z.string(), detached: z.array(z.string()), attempts: z.number().int() }),
  },
  'access:settings': { request: req(Access), response: z.array(AccessHostnameSetting) },
  'access:updateSettings': {
    request: req({ ...Access, settings: z.array(AccessHostnameSetting).max(1000) }),
    response: z.array(AccessHostnameSetting),
  },

  'mtls:list': { request: req({ ...Account, types: z.array(MtlsCertificateType).optional() }), response: z.array(MtlsCertificateSummary) },
  // BYO CA for API Shield needs no private key; keys for Gateway roots come from the vault, never the renderer.
  'mtls:upload': {
    request: req({ ...Account, name: z.string().trim().max(200).optional(), chainPem: Pem }),
    response: MtlsCertificateSummary,
  },
  'mtls:associations': { request: req({ ...Account, id: Id }), response: z.array(MtlsAssociation) },
  'mtls:delete': { request: req({ ...Account, id: Id }), response: z.object({ id: z.string() }) },

  'gateway:list': { request: req(Account), response: z.array(GatewayCertificateSummary) },
  'gateway:create': {
    request: req({ ...Account, validityDays: z.number().int().min(1).max(10_950).optional() }),
    response: GatewayCertificateSummary,
  },
  'gateway:activate': {
    request: req({ ...Account, id: Id, wait: z.boolean().default(false), jobId: JobId.optional() }),
    response: GatewayCertificateSummary,
  },
  'gateway:watch': { request: req({ ...Account, id: Id, jobId: JobId }), response: GatewayCertificateSummary },
  'gateway:useForInspection': { request: req({ ...Account, id: Id }), response: z.object({ certificateId: z.string() }) },
  'gateway:inspectionCertificate': { request: req(Account), response: z.object({ certificateId: z.string().nullable() }) },
  'gateway:deactivate': { request: req({ ...Account, id: Id }), response: GatewayCertificateSummary },
  'gateway:delete': { request: req({ ...Account, id: Id }), response: z.object({ id: z.string() }) },
} as const
