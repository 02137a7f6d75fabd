/**
 * Serving the built renderer from `app://certdesk/` instead of file://, so the page has a real
 * origin, a CSP header and no access to the filesystem. Plain Node so tests and the browser
 * bridge use the same guard.
 */
import { extname, isAbsolute, relative, resolve, sep } from 'node:path'

export const APP_SCHEME = 'app'
export const APP_HOST = 'certdesk'
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`

/** The page's Content-Security-Policy: only our own scripts, styles and fetches; nothing remote. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ')

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
}

export const mimeTypeFor = (path: string): string => MIME[extname(path).toLowerCase()] ?? 'application/octet-stream'

/**
 * The file under `root` a request path names, or null when it would escape `root`
 * (`..`, encoded `%2e%2e`, absolute paths, backslashes, NUL bytes).
 */
export function resolveAppPath(root: string, pathname: string): string | null {
  let decoded: string
  try {
    decoded = decodeURIComponent(pathname)
  } catch {
    return null
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null
  const wanted = decoded === '/' || decoded === '' ? 'index.html' : decoded.replace(/^\/+/, '')
  const base = resolve(root)
  const full = resolve(base, wanted)
  const rel = relative(base, full)
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel) || rel.split(sep).includes('..')) return null
  return full
}
