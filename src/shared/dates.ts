/** Dates as both sides count them: one place for "how many days until". */
const DAY = 86_400_000

/** Whole days from now until `iso` (negative once past); null when unknown. */
export function daysUntil(iso: string | undefined, now = Date.now()): number | null {
  if (!iso) return null
  const t = Date.parse(iso)
  return Number.isFinite(t) ? Math.floor((t - now) / DAY) : null
}
