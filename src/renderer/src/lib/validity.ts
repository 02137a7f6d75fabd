/** The validity choices the create dialogs offer, from the shared (zod-free) constants. */
import { VALIDITY_YEARS, validityDaysForYears as validityDays } from '../../../shared/constants'

export { validityDays }

/** The client-certificate validity choices, in years with their days, for a ChoiceSelect. */
export const VALIDITY_YEAR_CHOICES: ReadonlyArray<{ value: number; label: string }> = VALIDITY_YEARS.map((y) => ({
  value: y,
  label: `${y} year${y === 1 ? '' : 's'} (${validityDays(y)} days)`,
}))
