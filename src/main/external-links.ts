/**
 * The only URLs Certdesk opens in the user's browser: Cloudflare documentation and the dashboard,
 * over https, on exactly these hosts. Everything else is refused.
 */
const ALLOWED_HOSTS = new Set(['developers.cloudflare.com', 'dash.cloudflare.com', 'www.cloudflare.com', 'support.cloudflare.com'])

export function isAllowedExternalUrl(raw: string): boolean {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return false
  }
  return url.protocol === 'https:' && ALLOWED_HOSTS.has(url.hostname) && url.username === '' && url.password === '' && url.port === ''
}
