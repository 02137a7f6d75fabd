/** Coverage arithmetic and words, zod-free so the renderer shares them with main and the CLI. */

/** The share of reporting machines that must trust a new root before the switch, unless the admin sets another. */
export const DEFAULT_THRESHOLD_PERCENT = 95

/** The share of machines that trust a root, 0..1 (0 when no machine reported). */
export const coverageRatio = (c: { trusted: number; total: number }): number => (c.total ? c.trusted / c.total : 0)

/** "97 %" — rounded down, one decimal only when it matters (94.96 % is shown as 94.9 %, never as 95 %). */
export function percent(ratio: number): string {
  const p = Math.floor(ratio * 1000) / 10
  return `${Number.isInteger(p) ? p.toFixed(0) : p.toFixed(1)} %`
}
