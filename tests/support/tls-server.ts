/** A TLS server on 127.0.0.1 for proving trust by a real handshake. */
import { execFile } from 'node:child_process'
import { once } from 'node:events'
import { connect, createServer, type Server } from 'node:tls'
import type { AddressInfo } from 'node:net'

export async function startTlsServer(certChainPem: string, keyPem: string): Promise<{ port: number; close: () => Promise<void> }> {
  const server: Server = createServer({ cert: certChainPem, key: keyPem }, (socket) => socket.end('ok\n'))
  server.on('tlsClientError', () => undefined)
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as AddressInfo
  return { port, close: () => new Promise((resolve) => server.close(() => resolve())) }
}

/** Node handshake trusting only `caPem` (the bundle under test). */
export function nodeHandshake(port: number, caPem: string): Promise<{ authorized: boolean; error?: string }> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port, servername: 'localhost', ca: caPem, rejectUnauthorized: false }, () => {
      const result = { authorized: socket.authorized, ...(socket.authorizationError ? { error: String(socket.authorizationError) } : {}) }
      socket.destroy()
      resolve(result)
    })
    socket.on('error', (error) => resolve({ authorized: false, error: error.message }))
  })
}

/**
 * `openssl s_client -CAfile BUNDLE -verify_return_error`: with -verify_return_error a failed
 * verification aborts the handshake, so "established + Verification: OK" is the verdict. The exit
 * code is not used: s_client may exit 1 on the server's close racing its read (unexpected eof).
 */
export function opensslHandshake(port: number, caFile: string): Promise<{ ok: boolean; output: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      'openssl',
      ['s_client', '-connect', `127.0.0.1:${port}`, '-servername', 'localhost', '-CAfile', caFile, '-verify_return_error', '-brief'],
      { timeout: 15_000 },
      (_error, stdout, stderr) => {
        const output = `${stdout}${stderr}`
        resolve({ ok: output.includes('CONNECTION ESTABLISHED') && /^Verification: OK$/m.test(output), output })
      },
    )
    child.stdin?.end('')
  })
}
