/**
 * Full (strict) also trusts the machine's root store, not only the Sandbox Origin CA: an origin whose certificate
 * chains to a root of the system store (here OpenSSL's SSL_CERT_FILE, set before this test file's process first reads
 * the store; vitest runs each file in its own fork) is accepted. Certificates from openssl (Forge).
 */
import { afterAll, expect, test } from 'vitest'
import { readFileSync } from 'node:fs'
import { createServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import { startSandbox } from '../../../src/main/sandbox'
import { CA_EXT, Forge } from '../../support/forge'
import { edgeRequest } from './edge-helpers'

const forge = new Forge()
const root = forge.issue({ name: 'machine-root', subj: '/CN=Machine Public Root', ext: CA_EXT })
process.env['SSL_CERT_FILE'] = root.pem
afterAll(() => forge.cleanup())

test('an origin certificate from a root of the machine store passes Full (strict); the wrong host still gives 526', async () => {
  const ext = ['basicConstraints=critical,CA:FALSE', 'keyUsage=critical,digitalSignature', 'extendedKeyUsage=serverAuth']
  const server = forge.issue({ name: 'www', issuer: root, key: 'ec2', ext: [...ext, 'subjectAltName=DNS:www.example.com'] })
  const origin = createServer({ cert: readFileSync(server.pem), key: readFileSync(forge.key('ec2')) }, (_req, res) => res.end('public'))
  await new Promise<void>((done) => origin.listen(0, '127.0.0.1', done))
  const sb = await startSandbox({ seed: 'empty', edge: true })
  try {
    sb.edge!.setOrigin('example.com', `https://127.0.0.1:${(origin.address() as AddressInfo).port}`)
    const ok = await edgeRequest(sb.edge!, { servername: 'www.example.com' })
    expect(ok.status).toBe(200)
    expect(ok.body).toBe('public')
    expect(ok.headers['x-sandbox-origin-cert-issuer']).toBe('CN=Machine Public Root')
    const wrongHost = await edgeRequest(sb.edge!, { servername: 'api.example.com' })
    expect(wrongHost.status).toBe(526)
  } finally {
    await sb.close()
    origin.closeAllConnections()
    origin.close()
  }
})
