/** The official SDK works against the Sandbox (baseURL = handle.url): auto-pagination, create, retries on 429. */
import { afterAll, beforeAll, expect, test } from 'vitest'
import Cloudflare from 'cloudflare'
import { startSandbox, type SandboxHandle } from '../../../src/main/sandbox'
import { makeCsr } from '../../support/csr'

let sb: SandboxHandle
let cf: Cloudflare
beforeAll(async () => {
  sb = await startSandbox({ seed: 'demo' })
  cf = new Cloudflare({ apiToken: sb.tokens.full, baseURL: sb.url, maxRetries: 1 })
})
afterAll(() => sb.close())

test('SDK lists every page, creates, verifies tokens and retries a 429 honouring Retry-After', async () => {
  const zone_id = sb.zones[0]!.id
  const all: string[] = []
  for await (const cert of cf.clientCertificates.list({ zone_id, status: 'all', per_page: 5 })) all.push(cert.id!)
  expect(all).toHaveLength(48)
  const created = await cf.clientCertificates.create({ zone_id, csr: (await makeCsr('sdk.example.com')).pem, validity_days: 365 })
  expect(created.common_name).toBe('sdk.example.com')
  expect((await cf.user.tokens.verify()).status).toBe('active')
  const gw = []
  for await (const g of cf.zeroTrust.gateway.certificates.list({ account_id: sb.account.id })) gw.push(g)
  expect(gw.filter((g) => g.in_use)).toHaveLength(1)
  sb.faults.set('429@retry-after=1')
  const before = sb.requests().length
  expect((await cf.user.tokens.verify()).status).toBe('active')
  expect(
    sb
      .requests()
      .slice(before)
      .map((r) => r.status),
  ).toEqual([429, 200])
})
