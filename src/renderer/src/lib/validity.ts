/** The validity choices the create dialogs offer, from the shared (zod-free) constants. */
export { VALIDITY_YEARS, validityDaysForYears as validityDays } from '../../../shared/constants'
