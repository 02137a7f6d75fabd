/**
 * The one file-name sanitiser for exports (save dialogs in main, the CLI's defaults, the renderer):
 * keeps letters and digits of every script ("Zürich", "東京", "Łódź"), `.`, `-` and `_`; everything
 * else (path separators, control characters, spaces, `<>:"|?*`) becomes `_`, runs collapsed. The
 * result never starts with a dot (no hidden or `..` names), is at most 120 characters, and is never
 * empty or a Windows device name.
 */
const RESERVED = /^(con|prn|aux|nul|com\d|lpt\d)$/i

export function safeFileName(name: string, fallback = 'export'): string {
  const cleaned = name
    .normalize('NFC')
    .replace(/[^\p{L}\p{M}\p{N}._-]+/gu, '_')
    .replace(/_{2,}/g, '_')
    .replace(/^[._]+/, '')
    .replace(/[._]+$/, '')
  const cut = [...cleaned].slice(0, 120).join('')
  if (!cut || RESERVED.test(cut)) return cut ? `${cut}_` : fallback
  return cut
}
