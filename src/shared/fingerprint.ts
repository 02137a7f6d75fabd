/**
 * Fingerprint text as people paste it, reduced to hex digits: the one place that knows which
 * characters are noise. Copying a thumbprint from the Windows certificate dialog prefixes an
 * invisible U+200E LEFT-TO-RIGHT MARK; other sources add zero-width spaces or a BOM. All are
 * Unicode format characters (category Cf) and are dropped, and the caller can say so.
 * Pure (no Node, no DOM): main, the CLI and the renderer's search share it.
 */

const FORMAT_CHARACTERS = /\p{Cf}/gu

/** `text` without Unicode format characters, and the code points removed (e.g. `U+200E`). */
export function stripFormatCharacters(text: string): { text: string; removed: string[] } {
  const removed = [...text.matchAll(FORMAT_CHARACTERS)].map((m) => `U+${m[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`)
  return { text: removed.length ? text.replace(FORMAT_CHARACTERS, '') : text, removed }
}

/** What to tell the person when invisible characters were dropped from what they gave, or undefined. */
export function invisibleCharactersNote(removed: readonly string[]): string | undefined {
  if (removed.length === 0) return undefined
  const n = removed.length
  return (
    `Removed ${n} invisible character${n === 1 ? '' : 's'} (${[...new Set(removed)].join(', ')}) from ` +
    `the fingerprint, as pasted from the Windows certificate dialog.`
  )
}

/** Uppercase hex digits only: format characters, `:`, whitespace and `-` dropped. No validation. */
export function fingerprintHex(text: string): string {
  return stripFormatCharacters(text)
    .text.replace(/[:\s-]/g, '')
    .toUpperCase()
}

/**
 * Whether a search query names (part of) this fingerprint, written any way: colon-hex as the drawer
 * shows it (AB:CD:…), plain hex, any case, with invisible characters. Only a query made of hex digits
 * and separators counts, with at least 4 digits (so "ab" does not match every certificate).
 */
export function fingerprintMatches(fingerprint: string | undefined, query: string): boolean {
  if (!fingerprint) return false
  const cleaned = stripFormatCharacters(query).text.trim()
  if (!/^[0-9a-f:\s-]+$/i.test(cleaned)) return false
  const digits = fingerprintHex(cleaned)
  return digits.length >= 4 && fingerprintHex(fingerprint).includes(digits)
}
