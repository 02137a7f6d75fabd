/** The edge's SNI reader on real ClientHellos (Node's TLS client, curl), in pieces, split across records, and on junk. */
import { afterAll, expect, test } from 'vitest'
import { execFile } from 'node:child_process'
import { createServer, type Server } from 'node:net'
import type { AddressInfo } from 'node:net'
import { connect } from 'node:tls'
import { MAX_CLIENT_HELLO_BYTES, readServerName } from '../../../src/main/sandbox/edge/client-hello'

/** A TCP server that keeps the first bytes of each connection and then hangs up. */
let server: Server
const captured: Buffer[] = []
const waiting: ((bytes: Buffer) => void)[] = []
afterAll(() => new Promise<void>((done) => server.close(() => done())))

async function port(): Promise<number> {
  if (!server) {
    server = createServer((socket) => {
      let bytes = Buffer.alloc(0)
      socket.on('data', (chunk: Buffer) => {
        bytes = Buffer.concat([bytes, chunk])
        // A ClientHello record is complete once its 5-byte header's length is there.
        if (bytes.length >= 5 && bytes.length >= 5 + bytes.readUInt16BE(3)) {
          socket.destroy()
          const next = waiting.shift()
          if (next) next(bytes)
          else captured.push(bytes)
        }
      })
      socket.on('error', () => undefined)
    })
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  }
  return (server.address() as AddressInfo).port
}

async function helloFromNode(servername?: string): Promise<Buffer> {
  const p = await port()
  const bytes = new Promise<Buffer>((resolve) => waiting.push(resolve))
  const socket = connect({ host: '127.0.0.1', port: p, ...(servername ? { servername } : {}), rejectUnauthorized: false })
  socket.on('error', () => undefined)
  return bytes
}

test('reads the server name of a real ClientHello, and waits for the rest when it has only part of it', async () => {
  const hello = await helloFromNode('API.Example.com')
  expect(readServerName(hello)).toBe('api.example.com')
  for (const cut of [0, 1, 4, 5, 40, hello.length - 1]) expect(readServerName(hello.subarray(0, cut))).toBeUndefined()
})

test("reads curl's ClientHello (OpenSSL's client)", async () => {
  const p = await port()
  const bytes = new Promise<Buffer>((resolve) => waiting.push(resolve))
  execFile(
    'curl',
    ['--silent', '--max-time', '5', '--resolve', `devices.example.com:${p}:127.0.0.1`, `https://devices.example.com:${p}/`],
    () => {},
  )
  expect(readServerName(await bytes)).toBe('devices.example.com')
})

test('a ClientHello without SNI (a client connecting to an IP address) names no server', async () => {
  expect(readServerName(await helloFromNode())).toBeNull()
})

test('a ClientHello split across two TLS records is put back together', async () => {
  const hello = await helloFromNode('split.example.net')
  const handshake = hello.subarray(5)
  const record = (payload: Buffer): Buffer => {
    const header = Buffer.from([0x16, hello[1]!, hello[2]!, 0, 0])
    header.writeUInt16BE(payload.length, 3)
    return Buffer.concat([header, payload])
  }
  const first = record(handshake.subarray(0, 50))
  const both = Buffer.concat([first, record(handshake.subarray(50))])
  expect(readServerName(first)).toBeUndefined()
  expect(readServerName(both)).toBe('split.example.net')
})

test('anything that is not a well-formed ClientHello names no server instead of throwing', async () => {
  expect(readServerName(Buffer.from('GET / HTTP/1.1\r\nHost: api.example.com\r\n\r\n'))).toBeNull()
  const hello = await helloFromNode('api.example.com')
  // The extensions' length now points past the end of the message.
  const damaged = Buffer.from(hello)
  const sessionIdAt = 5 + 4 + 2 + 32
  const cipherAt = sessionIdAt + 1 + damaged[sessionIdAt]!
  const compressionAt = cipherAt + 2 + damaged.readUInt16BE(cipherAt)
  const extensionsAt = compressionAt + 1 + damaged[compressionAt]!
  damaged.writeUInt16BE(0xffff, extensionsAt)
  expect(readServerName(damaged)).toBeNull()
  // A handshake that is not a ClientHello (a ServerHello, type 2).
  const serverHello = Buffer.from(hello)
  serverHello[5] = 2
  expect(readServerName(serverHello)).toBeNull()
  // Endless bytes that never complete a record: given up at the limit.
  const endless = Buffer.alloc(MAX_CLIENT_HELLO_BYTES + 10)
  endless.set([0x16, 3, 1, 0xff, 0xff])
  expect(readServerName(endless)).toBeNull()
  expect(captured).toEqual([])
})
