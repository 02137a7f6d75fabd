/**
 * The server name (SNI) a TLS ClientHello asks for, read from the first bytes of a connection before any TLS
 * library sees them (RFC 8446 section 4.1.2, RFC 6066 section 3). The edge needs it before the handshake to
 * decide whether to ask for a client certificate: Node sets `requestCert` per server, not per SNI.
 */

/** Records the edge reads before giving up on finding a ClientHello: far above any real one. */
export const MAX_CLIENT_HELLO_BYTES = 64 * 1024

const RECORD_HANDSHAKE = 0x16
const HANDSHAKE_CLIENT_HELLO = 0x01
const EXTENSION_SERVER_NAME = 0x0000
const NAME_TYPE_HOST = 0x00

/** Thrown by the cursor when a length points past the data: the hello is malformed. */
class Malformed extends Error {}

class Cursor {
  constructor(
    private readonly data: Buffer,
    public at = 0,
  ) {}

  remaining(): number {
    return this.data.length - this.at
  }

  u8(): number {
    if (this.at + 1 > this.data.length) throw new Malformed()
    return this.data[this.at++]!
  }

  u16(): number {
    if (this.at + 2 > this.data.length) throw new Malformed()
    const value = this.data.readUInt16BE(this.at)
    this.at += 2
    return value
  }

  u24(): number {
    return this.u8() * 65536 + this.u16()
  }

  bytes(length: number): Buffer {
    if (this.at + length > this.data.length) throw new Malformed()
    const slice = this.data.subarray(this.at, this.at + length)
    this.at += length
    return slice
  }
}

/**
 * `undefined`: more bytes are needed. `null`: the ClientHello names no server, or the bytes are not a TLS
 * ClientHello (the TLS server then refuses them itself). Otherwise the lower-case host name.
 */
export function readServerName(data: Buffer): string | null | undefined {
  // The handshake message may span several records: gather their payloads first.
  const fragments: Buffer[] = []
  let gathered = 0
  let offset = 0
  while (offset + 5 <= data.length) {
    if (data[offset] !== RECORD_HANDSHAKE) return null
    const length = data.readUInt16BE(offset + 3)
    if (offset + 5 + length > data.length) break
    fragments.push(data.subarray(offset + 5, offset + 5 + length))
    gathered += length
    offset += 5 + length
    const handshake = Buffer.concat(fragments, gathered)
    if (handshake.length >= 4) {
      if (handshake[0] !== HANDSHAKE_CLIENT_HELLO) return null
      const messageLength = handshake.readUIntBE(1, 3)
      if (handshake.length >= 4 + messageLength) return serverNameOf(handshake.subarray(4, 4 + messageLength))
    }
  }
  if (data.length >= 1 && data[0] !== RECORD_HANDSHAKE) return null
  return data.length >= MAX_CLIENT_HELLO_BYTES ? null : undefined
}

function serverNameOf(hello: Buffer): string | null {
  try {
    const cursor = new Cursor(hello)
    cursor.bytes(2 + 32) // legacy_version, random
    cursor.bytes(cursor.u8()) // legacy_session_id
    cursor.bytes(cursor.u16()) // cipher_suites
    cursor.bytes(cursor.u8()) // legacy_compression_methods
    if (cursor.remaining() === 0) return null // no extensions at all
    const extensions = new Cursor(cursor.bytes(cursor.u16()))
    while (extensions.remaining() > 0) {
      const type = extensions.u16()
      const body = new Cursor(extensions.bytes(extensions.u16()))
      if (type !== EXTENSION_SERVER_NAME) continue
      const list = new Cursor(body.bytes(body.u16()))
      while (list.remaining() > 0) {
        const nameType = list.u8()
        const name = list.bytes(list.u16())
        if (nameType === NAME_TYPE_HOST) return name.toString('latin1').toLowerCase().replace(/\.$/, '')
      }
    }
    return null
  } catch (error) {
    if (error instanceof Malformed) return null
    throw error
  }
}
