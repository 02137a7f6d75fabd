/** `sandbox:*`: the built-in Sandbox account. */
import { z } from 'zod'
import { NoInput } from './fields'

export const sandboxContract = {
  /** Puts the built-in Sandbox account back to its demo seed. */
  'sandbox:reset': { request: NoInput, response: z.object({ reset: z.literal(true) }) },
} as const
