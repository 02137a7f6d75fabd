/** `certdesk sandbox serve` through runCli: prints URL and tokens, serves until SIGINT, rejects bad flags with exit 2. */
import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { promisify } from 'node:util'
import { expect, test } from 'vitest'
import { runCli } from '../../src/cli/run'
import type { CliIo } from '../../src/cli/command'

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
