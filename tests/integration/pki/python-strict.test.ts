/**
 * The real referee for "passes strict verification": Python's ssl module with VERIFY_X509_STRICT
 * (Python 3.13's default) completes a TLS handshake to a Node TLS server on 127.0.0.1 whose chain
 * was built by the engine — and mTLS with an engine-issued client certificate. A root made without
 * critical basicConstraints/keyUsage is the negative control: strict Python refuses it.
 */
import { once } from 'node:events'
import type { AddressInfo } from 'node:net'
import { createServer, type Server } from 'node:tls'
import * as x509 from '@peculiar/x509'
import { afterAll, describe, expect, test } from 'vitest'
import { createIntermediateCa, createRootCa, signCsr } from '../../../src/main/pki/ca'
import { createCsr } from '../../../src/main/pki/csr'
import { privateKeyToPem } from '../../../src/main/pki/encode'
import { exportPkcs8Der, generateKey, shutdownKeyPool, type KeyPair } from '../../../src/main/pki/keys'
import { tempDir, tool } from '../../support/tools'

const dir = tempDir()
const servers: Server[] = []
afterAll(async () => {
  for (const s of servers) s.close()
  dir.remove()
  await shutdownKeyPool()
})

const PYTHON_CLIENT = `
import ssl, socket, sys
port, cafile, strict = int(sys.argv[1]), sys.argv[2], sys.argv[3] == 'strict'
ctx = ssl.create_default_context(cafile=cafile)
if strict:
    ctx.verify_flags |= ssl.VERIFY_X509_STRICT
assert (ctx.verify_flags & ssl.VERIFY_X509_STRICT) == (ssl.VERIFY_X509_STRICT if strict else 0)
if len(sys.argv) > 5:
    ctx.load_cert_chain(sys.argv[4], sys.argv[5])
try:
    with socket.create_connection(('127.0.0.1', port), timeout=10) as sock:
        with ctx.wrap_socket(sock, server_hostname='localhost') as tls:
            tls.sendall(b'ping')
            print('OK', tls.version(), tls.recv(64).decode())
except ssl.SSLCertVerificationError as e:
    print('VERIFY-FAILED', e.verify_message)
    sys.exit(3)
`

async function pemKey(keys: KeyPair): Promise<string> {
  return privateKeyToPem(await exportPkcs8Der(keys.privateKey))
}

async function serve(options: { cert: string; key: string; ca?: string }): Promise<number> {
  const server = createServer(
    { cert: options.cert, key: options.key, ...(options.ca ? { ca: options.ca, requestCert: true, rejectUnauthorized: true } : {}) },
    (socket) => {
      socket.once('data', () =>
        socket.end(options.ca ? `hello ${socket.getPeerX509Certificate()?.subject.split('CN=')[1] ?? '?'}` : 'pong'),
      )
    },
  )
  servers.push(server)
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  return (server.address() as AddressInfo).port
}

function python(args: string[]) {
  return tool('python3', ['-c', PYTHON_CLIENT, ...args])
}

describe('Python ssl with VERIFY_X509_STRICT', () => {
  test('handshakes to a server whose chain is root → intermediate → server leaf, all from the engine', async () => {
    const root = await createRootCa({ cn: 'Certdesk Strict Root', o: 'Example', keyType: 'ec-p384', days: 365 })
    const inter = await createIntermediateCa({
      cn: 'Certdesk Strict Issuing',
      keyType: 'rsa-2048',
      days: 180,
      pathLen: 0,
      issuer: root.certificatePem,
      issuerKey: root.privateKey,
    })
    const leafKeys = await generateKey('ec-p256')
    const csr = await createCsr({ keys: leafKeys, subject: { cn: 'localhost' }, sans: ['DNS:localhost', 'IP:127.0.0.1'] })
    const leaf = await signCsr({ caCertPem: inter.certificatePem, caKey: inter.privateKey, csrPem: csr.pem, profile: 'server', days: 30 })
    const port = await serve({ cert: leaf.certificatePem + inter.certificatePem, key: await pemKey(leafKeys) })
    const rootFile = dir.file('root.pem', root.certificatePem)
    const result = await python([String(port), rootFile, 'strict'])
    expect(result.stdout + result.stderr).toMatch(/^OK TLSv1\.[23] pong/)
    expect(result.code).toBe(0)
  })

  test('mutual TLS: the server accepts an engine-issued client certificate, the client verifies strictly', async () => {
    const root = await createRootCa({ cn: 'Certdesk mTLS Root', keyType: 'ec-p256', days: 365 })
    const serverKeys = await generateKey('ec-p256')
    const server = await signCsr({
      caCertPem: root.certificatePem,
      caKey: root.privateKey,
      csrPem: (await createCsr({ keys: serverKeys, subject: { cn: 'localhost' }, sans: ['DNS:localhost'] })).pem,
      profile: 'server',
      days: 30,
    })
    const clientKeys = await generateKey('rsa-2048')
    const client = await signCsr({
      caCertPem: root.certificatePem,
      caKey: root.privateKey,
      csrPem: (await createCsr({ keys: clientKeys, subject: { cn: 'device-42' } })).pem,
      profile: 'client',
      days: 30,
    })
    const port = await serve({ cert: server.certificatePem, key: await pemKey(serverKeys), ca: root.certificatePem })
    const result = await python([
      String(port),
      dir.file('m-root.pem', root.certificatePem),
      'strict',
      dir.file('m-client.pem', client.certificatePem),
      dir.file('m-client-key.pem', await pemKey(clientKeys)),
    ])
    expect(result.stdout + result.stderr).toMatch(/^OK TLSv1\.[23] hello device-42/)
  })

  test('negative control: a root with non-critical basicConstraints and no keyUsage fails strict, passes lax', async () => {
    const keys = await generateKey('ec-p256')
    const lax = await x509.X509CertificateGenerator.createSelfSigned({
      serialNumber: '01',
      name: 'CN=Lax Root',
      notBefore: new Date(Date.now() - 60_000),
      notAfter: new Date(Date.now() + 86_400_000),
      keys,
      signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
      extensions: [
        new x509.BasicConstraintsExtension(true, undefined, false),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      ],
    })
    const laxPem = lax.toString('pem')
    const leafKeys = await generateKey('ec-p256')
    const leaf = await signCsr({
      caCertPem: laxPem,
      caKey: keys.privateKey,
      csrPem: (await createCsr({ keys: leafKeys, subject: { cn: 'localhost' }, sans: ['DNS:localhost'] })).pem,
      profile: 'server',
      days: 1,
    })
    const port = await serve({ cert: leaf.certificatePem, key: await pemKey(leafKeys) })
    const rootFile = dir.file('lax-root.pem', laxPem)
    const strict = await python([String(port), rootFile, 'strict'])
    expect(strict.code).toBe(3)
    expect(strict.stdout).toMatch(/VERIFY-FAILED/)
    const relaxed = await python([String(port), rootFile, 'lax'])
    expect(relaxed.stdout).toMatch(/^OK /)
  })
})
