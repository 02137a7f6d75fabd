/** The validity choices the create dialog offers (seed 000 plus the 10-year default); a year is 365 days, as in the dashboard. */
export const VALIDITY_YEARS = [1, 2, 3, 5, 10, 15] as const
export const validityDays = (years: number): number => years * 365
