import { join, resolve } from 'node:path'
import { describe, expect, test } from 'vitest'
import { CONTENT_SECURITY_POLICY, mimeTypeFor, resolveAppPath } from '../../../src/main/app-protocol'
import { isAllowedExternalUrl } from '../../../src/main/external-links'

const root = resolve('/srv/renderer')

describe('app:// path guard', () => {
  test.each([
    ['/', join(root, 'index.html')],
    ['/index.html', join(root, 'index.html')],
    ['/assets/index-abc.js', join(root, 'assets/index-abc.js')],
    ['/assets/a%20b.css', join(root, 'assets/a b.css')],
  ])('serves %s', (path, expected) => {
    expect(resolveAppPath(root, path)).toBe(expected)
  })

  test.each([
    '/../etc/passwd',
    '/assets/../../etc/passwd',
    '/%2e%2e/%2e%2e/etc/passwd',
    '/..%2fsecret',
    '/assets%5c..%5c..%5cwin.ini',
    '/a%00.js',
    '/%E0%A4%A',
  ])('refuses %s', (path) => {
    expect(resolveAppPath(root, path)).toBeNull()
  })

  test('mime types and CSP', () => {
    expect(mimeTypeFor('x.js')).toMatch(/javascript/)
    expect(mimeTypeFor('x.unknown')).toBe('application/octet-stream')
    expect(CONTENT_SECURITY_POLICY).toContain("default-src 'none'")
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-(eval|inline)/)
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/https?:/)
  })
})

describe('external link allowlist', () => {
  test.each(['https://developers.cloudflare.com/ssl/client-certificates/', 'https://dash.cloudflare.com/?to=/:account/ssl-tls'])(
    'allows %s',
    (url) => {
      expect(isAllowedExternalUrl(url)).toBe(true)
    },
  )
  test.each([
    'http://developers.cloudflare.com/',
    'https://developers.cloudflare.com.evil.example/',
    'https://evil.example/?https://dash.cloudflare.com',
    'https://user:pass@dash.cloudflare.com/',
    'https://dash.cloudflare.com:8443/',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'not a url',
  ])('refuses %s', (url) => {
    expect(isAllowedExternalUrl(url)).toBe(false)
  })
})
