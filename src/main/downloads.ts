/**
 * The renderer saves exports it builds itself (the Activity log as CSV/JSON) as `blob:` downloads.
 * Those, and nothing else, may start a download: a blob made by one of the app's own pages. The
 * file name the page suggests is reduced to a plain name so it can only choose a name, not a folder.
 */
import { basename, join } from 'node:path'

export function isAllowedDownload(raw: string, allowedOrigins: readonly string[]): boolean {
  if (!raw.startsWith('blob:')) return false
  let inner: URL
  try {
    inner = new URL(raw.slice('blob:'.length))
  } catch {
    return false
  }
  return allowedOrigins.includes(inner.origin) || allowedOrigins.includes(`${inner.protocol}//${inner.host}`)
}

/** Where the save dialog starts: the Downloads folder with the suggested name, stripped of any path. */
export function downloadDefaultPath(downloadsDir: string, suggested: string): string {
  const plain = [...basename(suggested.replace(/\\/g, '/'))]
    .map((c) => (c.charCodeAt(0) < 0x20 || '<>:"|?*'.includes(c) ? '_' : c))
    .join('')
  const name = plain.replace(/^\.+/, '')
  return join(downloadsDir, name || 'certdesk-export')
}
