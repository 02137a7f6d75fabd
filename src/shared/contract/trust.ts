/** `trust:*`: this machine's trust stores, and proving a root is trusted. */
import { z } from 'zod'
import { MAX_PEM_FIELD_CHARS, PEM_FIELD_TOO_LONG } from '../pem'
import { ChangeReport, ProbeReport, StoreDescription, StoreListing, TrustEntry, VerifyReport } from '../truststore-model'
import { JobId, NoInput, req } from './fields'

const StoreIds = z.array(z.string().min(1).max(100)).max(50).optional()
/** A fingerprint (SHA-256/SHA-1/MD5, any common spelling) or a PEM certificate. */
const CertOrFingerprint = z.string().trim().min(8).max(MAX_PEM_FIELD_CHARS, PEM_FIELD_TOO_LONG)

export const trustContract = {
  'trust:stores': { request: NoInput, response: z.array(StoreDescription) },
  'trust:list': { request: req({ storeIds: StoreIds, jobId: JobId.optional() }), response: z.array(StoreListing) },
  'trust:find': {
    request: req({ input: CertOrFingerprint, storeIds: StoreIds }),
    response: z.array(z.object({ storeId: z.string(), label: z.string(), entries: z.array(TrustEntry) })),
  },
  'trust:install': {
    request: req({ certificatePem: z.string().min(1).max(MAX_PEM_FIELD_CHARS, PEM_FIELD_TOO_LONG), storeIds: StoreIds }),
    response: ChangeReport,
  },
  'trust:remove': { request: req({ input: CertOrFingerprint, storeIds: StoreIds }), response: ChangeReport },
  'trust:verify': {
    request: req({ input: CertOrFingerprint, host: z.string().trim().min(1).max(260).optional(), storeIds: StoreIds }),
    response: VerifyReport,
  },
  'trust:probeHost': {
    request: req({ host: z.string().trim().min(1).max(253), port: z.number().int().min(1).max(65535).default(443) }),
    response: ProbeReport,
  },
} as const
