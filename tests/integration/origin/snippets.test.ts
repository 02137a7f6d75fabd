/**
 * The origin-server snippets are configuration the real servers accept: nginx serves the origin certificate and
 * refuses a client without a certificate of the AOP CA, with curl as the client; haproxy checks its configuration
 * (`haproxy -c`). Both run on loopback from a private temp folder. Skipped only where the server is not installed
 * (CI installs both, see .ci/run).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { originSnippet } from '../../../src/shared/origin-snippets'
import { CA_EXT, CLIENT_EXT, Forge, SERVER_EXT } from '../../support/forge'

const has = (tool: string) => {
  try {
    execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

const forge = new Forge()
const dir = mkdtempSync(join(tmpdir(), 'certdesk-snippets-'))
afterAll(() => {
  forge.cleanup()
  rmSync(dir, { recursive: true, force: true })
})

const aopCa = forge.issue({ name: 'AOP CA', ext: CA_EXT })
const pulls = forge.issue({ name: 'cloudflare-pulls', issuer: aopCa, ext: CLIENT_EXT, key: 'ec2' })
// TLS signs with the origin's key (RSA here); the CA's secp256k1 key only signs certificates.
const serverCa = forge.issue({ name: 'Origin CA', ext: CA_EXT, key: 'secp256k1' })
const origin = forge.issue({ name: 'app.example.test', issuer: serverCa, ext: SERVER_EXT, key: 'rsa2048' })
const paths = {
  aopCaFile: aopCa.pem,
  certificateFile: origin.pem,
  keyFile: forge.key('rsa2048'),
  hostname: 'app.example.test',
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

describe.runIf(has('nginx'))('nginx', () => {
  let nginx: ChildProcess | undefined
  afterAll(() => nginx?.kill())

  test('serves the origin certificate and lets only a client with the AOP CA’s certificate through', async () => {
    const port = await freePort()
    const server = originSnippet('nginx', paths)
      .replace('listen 443 ssl;', `listen 127.0.0.1:${port} ssl;`)
      .replace('}', `    location / { return 200 "origin ok"; }\n}`)
    const conf = join(dir, 'nginx.conf')
    writeFileSync(
      conf,
      [
        'daemon off;',
        `pid ${join(dir, 'nginx.pid')};`,
        `error_log ${join(dir, 'error.log')};`,
        'events {}',
        'http {',
        `  access_log off; client_body_temp_path ${dir}; proxy_temp_path ${dir}; fastcgi_temp_path ${dir};`,
        `  uwsgi_temp_path ${dir}; scgi_temp_path ${dir};`,
        server,
        '}',
      ].join('\n'),
      { mode: 0o600 },
    )
    execFileSync('nginx', ['-t', '-c', conf, '-p', dir], { stdio: 'pipe' })
    nginx = spawn('nginx', ['-c', conf, '-p', dir], { stdio: 'ignore' })
    const curl = (extra: string[]) =>
      execFileSync(
        'curl',
        [
          '-s',
          '-o',
          '-',
          '-w',
          '\n%{http_code}',
          '--cacert',
          serverCa.pem,
          '--resolve',
          `app.example.test:${port}:127.0.0.1`,
          ...extra,
          `https://app.example.test:${port}/`,
        ],
        { encoding: 'utf8' },
      )
    let answer = ''
    for (let i = 0; i < 50 && !answer; i++) {
      try {
        answer = curl(['--cert', pulls.pem, '--key', forge.key('ec2')])
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
    }
    expect(answer).toBe('origin ok\n200')
    // Without a client certificate nginx answers 400 ("No required SSL certificate was sent").
    expect(curl([]).split('\n').pop()).toBe('400')
    // A certificate of another CA is refused too.
    const stranger = forge.issue({ name: 'stranger', issuer: serverCa, ext: CLIENT_EXT, key: 'rsa2048' })
    expect(
      curl(['--cert', stranger.pem, '--key', forge.key('rsa2048')])
        .split('\n')
        .pop(),
    ).toBe('400')
  })
})

describe.runIf(has('haproxy'))('haproxy', () => {
  test('accepts the frontend (certificate file with its key, the AOP CA, verify required)', () => {
    const bundle = join(dir, 'origin-with-key.pem')
    writeFileSync(bundle, readFileSync(origin.pem, 'utf8') + readFileSync(forge.key('rsa2048'), 'utf8'), { mode: 0o600 })
    const conf = join(dir, 'haproxy.cfg')
    const frontend = originSnippet('haproxy', { ...paths, certificateFile: bundle }).replace('bind :443', 'bind 127.0.0.1:8443')
    writeFileSync(conf, `defaults\n    mode http\n    timeout connect 1s\n    timeout client 1s\n    timeout server 1s\n${frontend}\n`)
    expect(execFileSync('haproxy', ['-c', '-f', conf], { encoding: 'utf8' })).toMatch(/Configuration file is valid/)
  })
})

describe('every server', () => {
  test('names the AOP CA, the certificate and its key', () => {
    for (const server of ['nginx', 'apache', 'caddy'] as const) {
      const text = originSnippet(server, paths)
      for (const path of Object.values(paths)) expect(text, server).toContain(path.includes(' ') ? `"${path}"` : path)
    }
  })
})
