/**
 * `certdesk sandbox serve` through runCli: prints URL and tokens, serves until SIGINT, rejects bad flags with exit 2;
 * `--origin HOST=URL` forwards a hostname to a loopback https origin in Full (strict) mode (Node `https`, curl).
 */
import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import { promisify } from 'node:util'
import { afterAll, expect, test } from 'vitest'
import { runCli } from '../../src/cli/run'
import type { CliIo } from '../../src/cli/command'
import { CertFactory } from '../support/cert-factory'

function capture(): { io: CliIo; out: () => string; err: () => string } {
  let out = ''
  let err = ''
  return {
    io: { stdout: (t) => void (out += t), stderr: (t) => void (err += t), env: {}, cwd: process.cwd() },
    out: () => out,
    err: () => err,
  }
}

const execFileAsync = promisify(execFile)

test('serve prints the URL and seeded tokens, answers API calls, stops on SIGINT', async () => {
  const c = capture()
  const running = runCli(['sandbox', 'serve', '--seed', 'empty', '--faults', 'latency=1ms', '--json'], c.io, 'test')
  let info: { url: string; tokens: { full: string }; zones: { id: string; name: string }[]; edge: { url: string; ca: string } } | undefined
  for (let i = 0; i < 200 && !info; i++) {
    await new Promise((r) => setTimeout(r, 25))
    if (c.out().trim().endsWith('}')) info = JSON.parse(c.out()) as typeof info
  }
  expect(info!.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/client\/v4$/)
  const res = await fetch(`${info!.url}/user/tokens/verify`, { headers: { authorization: `Bearer ${info!.tokens.full}` } })
  expect(res.status).toBe(200)
  // The edge: curl trusts only the printed CA file and reaches a zone's hostname through it (the echo origin answers).
  expect(info!.edge.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/)
  expect(readFileSync(info!.edge.ca, 'utf8')).toContain('-----BEGIN CERTIFICATE-----')
  const port = new URL(info!.edge.url).port
  const host = info!.zones[0]!.name
  const curl = ['-sS', '-o', '/dev/null', '-w', '%{http_code}', '--cacert', info!.edge.ca, '--resolve', `${host}:${port}:127.0.0.1`]
  expect((await execFileAsync('curl', [...curl, `https://${host}:${port}/`])).stdout).toBe('200')
  process.emit('SIGINT')
  expect(await running).toBe(0)
  expect(c.err()).toContain('Sandbox stopped.')
  await expect(fetch(`${info!.url}/user/tokens/verify`)).rejects.toThrow()
})

test('bad flags exit 2 with a specific message', async () => {
  for (const [argv, message] of [
    [['--port', 'abc'], /--port must be a port number/],
    [['--seed', 'full'], /--seed must be demo or empty/],
    [['--faults', '5xx=404'], /5xx must look like/],
  ] as const) {
    const c = capture()
    expect(await runCli(['sandbox', 'serve', ...argv], c.io, 'test')).toBe(2)
    expect(c.err()).toMatch(message)
  }
})

const factory = new CertFactory()
afterAll(() => factory.cleanup())

interface Info {
  url: string
  tokens: { full: string }
  zones: { id: string; name: string }[]
  edge: { url: string; ca: string; originCa: string; originPullCa: string; origins: Record<string, string> }
}

test('--origin points a hostname at a loopback https origin, verified in Full (strict): self-signed 526, Origin CA 200', async () => {
  const selfSigned = factory.root('api.example.com')
  const origin = createServer({ cert: selfSigned.pem, key: selfSigned.keyPem }, (_req, res) => res.end('from the origin'))
  await new Promise<void>((done) => origin.listen(0, '127.0.0.1', done))
  const originUrl = `https://127.0.0.1:${(origin.address() as AddressInfo).port}`
  const c = capture()
  const running = runCli(['sandbox', 'serve', '--seed', 'empty', '--origin', `api.example.com=${originUrl}`, '--json'], c.io, 'test')
  try {
    let info: Info | undefined
    for (let i = 0; i < 200 && !info; i++) {
      await new Promise((r) => setTimeout(r, 25))
      if (c.out().trim().endsWith('}')) info = JSON.parse(c.out()) as Info
    }
    expect(info!.edge.origins).toEqual({ 'api.example.com': originUrl })
    expect(readFileSync(info!.edge.originCa, 'utf8')).toContain('-----BEGIN CERTIFICATE-----')
    expect(readFileSync(info!.edge.originPullCa, 'utf8')).toContain('-----BEGIN CERTIFICATE-----')
    const port = new URL(info!.edge.url).port
    const curl = async (): Promise<string> =>
      (
        await execFileAsync('curl', [
          '-sS',
          '-o',
          '/dev/null',
          '-w',
          '%{http_code}',
          '--cacert',
          info!.edge.ca,
          '--resolve',
          `api.example.com:${port}:127.0.0.1`,
          `https://api.example.com:${port}/`,
        ])
      ).stdout
    expect(await curl()).toBe('526')

    // An Origin CA certificate for the hostname, from a CSR (the key stays here), installed on the running origin.
    const { csr, keyPem } = factory.keyedCsr('api')
    const created = await fetch(`${info!.url}/certificates`, {
      method: 'POST',
      headers: { authorization: `Bearer ${info!.tokens.full}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        csr,
        hostnames: ['api.example.com'],
        request_type: 'origin-ecc',
        requested_validity: 7,
      }),
    })
    const { result } = (await created.json()) as { result: { certificate: string } }
    origin.setSecureContext({ cert: result.certificate, key: keyPem })
    expect(await curl()).toBe('200')
  } finally {
    process.emit('SIGINT')
    await running
    origin.closeAllConnections()
    origin.close()
  }
})

test('a bad --origin exits 2 with a specific message', async () => {
  for (const [value, message] of [
    ['api.example.com', /--origin must look like HOST=URL/],
    ['=https://127.0.0.1:1', /--origin must look like HOST=URL/],
    ['api.example.com=http://example.org:8080', /must be a loopback http\(s\) URL/],
    ['example.org=http://127.0.0.1:8080', /has no zone "example.org"/],
  ] as const) {
    const c = capture()
    expect(await runCli(['sandbox', 'serve', '--seed', 'empty', '--origin', value], c.io, 'test'), value).toBe(2)
    expect(c.err()).toMatch(message)
  }
})
