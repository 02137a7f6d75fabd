/** `reports:*`: machine trust reports — save this machine's, and import a fleet's folder of them for coverage. */
import { z } from 'zod'
import { MAX_PEM_FIELD_CHARS, PEM_FIELD_TOO_LONG } from '../pem'
import { Coverage } from '../report-model'
import { NoInput, req } from './fields'

export const reportsContract = {
  /**
   * Verify again (the report states what is true now, not what the window last showed) and save the report where
   * the user chooses in main's save dialog, with its HTML page beside it. Null: the dialog was cancelled.
   */
  'reports:save': {
    request: req({
      input: z.string().trim().min(8).max(MAX_PEM_FIELD_CHARS, PEM_FIELD_TOO_LONG),
      host: z.string().trim().min(1).max(260).optional(),
      storeIds: z.array(z.string().min(1).max(100)).max(50).optional(),
    }),
    response: z.object({ json: z.string(), html: z.string() }).nullable(),
  },
  /** Choose a folder of reports in main's dialog and compute its coverage. Null: cancelled. */
  'reports:import': { request: NoInput, response: Coverage.nullable() },
  /** The folder imported last, read again (reports added since count). Null: nothing imported yet. */
  'reports:refresh': { request: NoInput, response: Coverage.nullable() },
} as const
