/** Building blocks every namespace's contract file uses. */
import { z } from 'zod'

/** A channel that takes no request. */
export const NoInput = z.undefined()

/** A request object: exactly these fields, nothing else (an unknown field is refused, not ignored). */
export const req = <T extends z.ZodRawShape>(shape: T) => z.object(shape).strict()
