/**
 * A local mTLS server for the probe tests, shaped like Cloudflare with a blocking rule: it asks for a client
 * certificate, answers 403 with `cf-ray`, the Sandbox's rule headers and a block page when none or one from
 * another CA is given, and 200 otherwise. Certificates come from openssl (server leaf for api.probe.test,
 * client leaves with clientAuth), in a temp folder the caller removes.
 */
import { execFile, execFileSync } from 'node:child_process'
import { once } from 'node:events'
import { createServer, type Server } from 'node:https'
import type { AddressInfo } from 'node:net'
import { readFileSync, writeFileSync } from 'node:fs'
import type { TLSSocket } from 'node:tls'
import { promisify } from 'node:util'
import { CertFactory, type TestCert } from './cert-factory'

export const HOST = 'api.probe.test'
export const RAY = '8f2b8f5a3d1e2c4b-SJC'
export const PAGE_RAY = '7a1b2c3d4e5f6a7b'
export const RULE = { id: 'rule-enforce-1', description: 'mTLS: block missing or revoked certificates' }

/** A leaf signed by `issuer`: a server certificate for HOST, or a client certificate. */
export function leafFor(factory: CertFactory, issuer: TestCert, cn: string, usage: 'server' | 'client'): TestCert {
  const base = `${factory.dir}/${cn.replace(/\W/g, '_')}`
  const [certPath, keyPath, csrPath, extPath] = [`${base}.pem`, `${base}.key`, `${base}.csr`, `${base}.ext`]
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes']
  execFileSync('openssl', ['req', '-new', ...ec, '-keyout', keyPath, '-out', csrPath, '-subj', `/CN=${cn}`], { stdio: 'pipe' })
  const ext = usage === 'server' ? `extendedKeyUsage=serverAuth\nsubjectAltName=DNS:${HOST}\n` : 'extendedKeyUsage=clientAuth\n'
  writeFileSync(extPath, `basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\n${ext}`)
  const sign = ['-CA', issuer.certPath, '-CAkey', issuer.keyPath, '-CAcreateserial', '-days', '30', '-extfile', extPath]
  execFileSync('openssl', ['x509', '-req', '-in', csrPath, ...sign, '-out', certPath], { stdio: 'pipe' })
  return { pem: readFileSync(certPath, 'utf8'), keyPem: readFileSync(keyPath, 'utf8'), certPath, keyPath }
}

export interface Pki {
  factory: CertFactory
  edgeCa: TestCert
  server: TestCert
  clientCa: TestCert
  otherCa: TestCert
  good: TestCert
  other: TestCert
}

export function makePki(): Pki {
  const factory = new CertFactory()
  const edgeCa = factory.root('Probe Edge CA')
  const clientCa = factory.root('Probe Client CA')
  const otherCa = factory.root('Other CA')
  return {
    factory,
    edgeCa,
    clientCa,
    otherCa,
    server: leafFor(factory, edgeCa, HOST, 'server'),
    good: leafFor(factory, clientCa, 'laptop-1', 'client'),
    other: leafFor(factory, otherCa, 'stranger', 'client'),
  }
}

const blockPage = (ray: string): string =>
  '<!DOCTYPE html><html><head><title>Attention Required! | Cloudflare</title></head><body>' +
  '<h1>Sorry, you have been blocked</h1>' +
  `<span class="cf-footer-item">Cloudflare Ray ID: <strong class="font-semibold">${ray}</strong></span></body></html>`

export interface Mode {
  /** Ask for a client certificate (default true). */
  requestCert?: boolean
  /** Refuse a missing or bad certificate in the handshake instead of with a 403. */
  rejectInTls?: boolean
  maxVersion?: 'TLSv1.2' | 'TLSv1.3'
}

/**
 * Starts the server on 127.0.0.1. Path `/page-only` blocks without the `cf-ray` header (the Ray ID is on the
 * page only); `/origin-403` is the origin's own 403 (cf-ray, no block page), for every client, and
 * `/login-401` the origin asking for a login. Every request is recorded (path and whether its certificate verified).
 */
export async function startMtlsServer(
  pki: Pki,
  mode: Mode = {},
): Promise<{ port: number; seen: Array<{ path: string; verified: boolean }>; close: () => Promise<void> }> {
  const seen: Array<{ path: string; verified: boolean }> = []
  const server: Server = createServer(
    {
      cert: pki.server.pem,
      key: pki.server.keyPem,
      ca: pki.clientCa.pem,
      requestCert: mode.requestCert ?? true,
      rejectUnauthorized: mode.rejectInTls ?? false,
      ...(mode.maxVersion ? { maxVersion: mode.maxVersion } : {}),
    },
    (req, res) => {
      const verified = (req.socket as TLSSocket).authorized
      const path = req.url ?? '/'
      seen.push({ path, verified })
      if (path === '/login-401') {
        res.writeHead(401, { 'www-authenticate': 'Basic realm="app"', 'cf-ray': RAY, server: 'cloudflare' })
        return void res.end()
      }
      if (path === '/origin-403') {
        // The origin's own refusal, passed through Cloudflare: cf-ray is there, the block page is not.
        res.writeHead(403, { 'content-type': 'text/plain', 'cf-ray': RAY, server: 'cloudflare' })
        return void res.end('Forbidden by the application\n')
      }
      if (verified || mode.requestCert === false) {
        res.writeHead(200, { 'content-type': 'application/json', 'cf-ray': RAY, server: 'cloudflare' })
        return void res.end('{"ok":true}\n')
      }
      const pageOnly = path === '/page-only'
      res.writeHead(403, {
        'content-type': 'text/html; charset=UTF-8',
        ...(pageOnly
          ? {}
          : { 'cf-ray': RAY, server: 'cloudflare', 'x-sandbox-rule': RULE.id, 'x-sandbox-rule-description': RULE.description }),
      })
      res.end(blockPage(pageOnly ? PAGE_RAY : RAY))
    },
  )
  server.on('tlsClientError', () => undefined)
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as AddressInfo
  return {
    port,
    seen,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/** curl's HTTP status for the same request as the probe's (the referee): the edge CA trusted, HOST resolved to 127.0.0.1. */
export async function curlStatus(pki: Pki, port: number, cert?: { certPath: string; keyPath: string }): Promise<number> {
  const args = ['-sS', '-o', '/dev/null', '-w', '%{http_code}', '--max-time', '10', '--cacert', pki.edgeCa.certPath]
  args.push('--resolve', `${HOST}:${port}:127.0.0.1`, ...(cert ? ['--cert', cert.certPath, '--key', cert.keyPath] : []))
  const { stdout } = await promisify(execFile)('curl', [...args, `https://${HOST}:${port}/`])
  return Number(stdout)
}
