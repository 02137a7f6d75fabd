/** `fleet:*`: deploying a root to a fleet — the fleet kit, written into a folder main asks for. */
import { z } from 'zod'
import { MAX_PEM_FIELD_CHARS, PEM_FIELD_TOO_LONG } from '../pem'
import { req } from './fields'

export const FleetKitResult = z.object({
  /** Where the kit was written; null when the folder dialog was cancelled (nothing written). */
  folder: z.string().nullable(),
  /** The kit's files, relative to the folder. */
  files: z.array(z.string()),
  root: z.object({ subject: z.string(), sha256: z.string() }),
})
export type FleetKitResult = z.infer<typeof FleetKitResult>

export const fleetContract = {
  'fleet:exportKit': {
    request: req({ certificatePem: z.string().min(1).max(MAX_PEM_FIELD_CHARS, PEM_FIELD_TOO_LONG) }),
    response: FleetKitResult,
  },
} as const
