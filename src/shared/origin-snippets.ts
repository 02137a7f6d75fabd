/**
 * The origin server's side of the origin leg, as configuration an admin pastes: verifying the client certificate
 * Cloudflare presents (Authenticated Origin Pulls) and serving an Origin CA certificate. One place for both the app
 * and the CLI. Paths are placeholders the admin replaces; the directives are each server's documented ones.
 */

export const ORIGIN_SERVERS = ['nginx', 'apache', 'caddy', 'haproxy'] as const
export type OriginServer = (typeof ORIGIN_SERVERS)[number]

export interface SnippetPaths {
  /** The CA bundle the origin trusts for Cloudflare's client certificate (during a rotation: the old and the new CA). */
  aopCaFile?: string
  /** The origin's own certificate (e.g. an Origin CA certificate) and its key. */
  certificateFile?: string
  keyFile?: string
  hostname?: string
}

const DEFAULTS: Required<SnippetPaths> = {
  aopCaFile: '/etc/ssl/certdesk/aop-ca.pem',
  certificateFile: '/etc/ssl/certdesk/origin.pem',
  keyFile: '/etc/ssl/certdesk/origin.key',
  hostname: 'example.com',
}

/** A path as each of these servers reads it: in double quotes when it holds white space or a quote. */
const quoted = (path: string): string => (/[\s"'\\]/.test(path) ? `"${path.replace(/(["\\])/g, '\\$1')}"` : path)

/** The server block that serves the origin certificate and refuses any client without Cloudflare's AOP certificate. */
export function originSnippet(server: OriginServer, paths: SnippetPaths = {}): string {
  const given = { ...DEFAULTS, ...paths }
  const p = { ...given, aopCaFile: quoted(given.aopCaFile), certificateFile: quoted(given.certificateFile), keyFile: quoted(given.keyFile) }
  switch (server) {
    case 'nginx':
      return [
        'server {',
        '    listen 443 ssl;',
        `    server_name ${p.hostname};`,
        `    ssl_certificate     ${p.certificateFile};`,
        `    ssl_certificate_key ${p.keyFile};`,
        '    # Authenticated Origin Pulls: only Cloudflare, presenting a certificate of this CA, gets through.',
        `    ssl_client_certificate ${p.aopCaFile};`,
        '    ssl_verify_client on;',
        '}',
      ].join('\n')
    case 'apache':
      return [
        '<VirtualHost *:443>',
        `    ServerName ${p.hostname}`,
        '    SSLEngine on',
        `    SSLCertificateFile ${p.certificateFile}`,
        `    SSLCertificateKeyFile ${p.keyFile}`,
        '    # Authenticated Origin Pulls: only Cloudflare, presenting a certificate of this CA, gets through.',
        `    SSLCACertificateFile ${p.aopCaFile}`,
        '    SSLVerifyClient require',
        '    SSLVerifyDepth 1',
        '</VirtualHost>',
      ].join('\n')
    case 'caddy':
      return [
        `${p.hostname} {`,
        `    tls ${p.certificateFile} ${p.keyFile} {`,
        '        # Authenticated Origin Pulls: only Cloudflare, presenting a certificate of this CA, gets through.',
        '        client_auth {',
        '            mode require_and_verify',
        `            trust_pool file ${p.aopCaFile}`,
        '        }',
        '    }',
        '}',
      ].join('\n')
    case 'haproxy':
      return [
        'frontend https-in',
        '    # The certificate file holds the certificate followed by its key.',
        '    # Authenticated Origin Pulls: only Cloudflare, presenting a certificate of this CA, gets through.',
        `    bind :443 ssl crt ${p.certificateFile} ca-file ${p.aopCaFile} verify required`,
      ].join('\n')
  }
}
