/**
 * The request fields the Cloudflare namespaces share: every request names the profile and the zone,
 * account or Access scope it acts on; tokens and private keys never appear in the contract.
 */
import { z } from 'zod'
import { MAX_PEM_FIELD_CHARS, PEM_FIELD_TOO_LONG } from '../pem'
import { AccessScope } from '../cloudflare-model'

/** Chosen by the renderer for a long operation, so it can follow its progress and cancel it. */
export const JobId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/)

export const ProfileId = z.uuid()
export const Id = z.string().min(1).max(64)
export const Hostname = z.string().trim().min(1).max(253)
export const Hostnames = z.array(Hostname).max(1000)
export const Pem = z.string().min(1).max(MAX_PEM_FIELD_CHARS, PEM_FIELD_TOO_LONG)
export const Zone = { profileId: ProfileId, zoneId: Id }
export const Account = { profileId: ProfileId, accountId: Id }
export const Access = { profileId: ProfileId, scope: AccessScope }

/** A channel that takes no request. */
export const NoInput = z.undefined()

/** A request object: exactly these fields, nothing else (an unknown field is refused, not ignored). */
export const req = <T extends z.ZodRawShape>(shape: T) => z.object(shape).strict()
