/** `certificates:*`: any certificate the app shows, saved through main's save dialog. */
import { z } from 'zod'
import { req } from './fields'

export const certificatesContract = {
  /**
   * Any certificate the app shows (vault or not, e.g. every row of the client certificate list) saved
   * as PEM or DER through main's save dialog; null when the dialog was cancelled.
   */
  'certificates:save': {
    request: req({
      pem: z.string().min(1).max(65_536),
      format: z.enum(['certificate-pem', 'certificate-der']),
      name: z.string().trim().max(200),
    }),
    response: z.object({ savedTo: z.string().nullable() }),
  },
} as const
