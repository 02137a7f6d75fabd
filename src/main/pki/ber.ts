/**
 * BER/DER decoding that never throws: asn1js reports most malformed input through `offset === -1`,
 * but a few value decoders (GeneralizedTime, UTCTime) throw instead — found by fuzzing `detect`
 * with random bytes. Every caller wants one shape for "not valid ASN.1", so this gives it.
 */
import * as asn1js from 'asn1js'

/** The exact bytes of a view as an ArrayBuffer (asn1js and pkijs take ArrayBuffers). */
export function asArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer
}

export type BerDecode = { ok: true; result: asn1js.AsnType; offset: number } | { ok: false; error: string }

export function decodeBer(bytes: Uint8Array): BerDecode {
  try {
    const parsed = asn1js.fromBER(asArrayBuffer(bytes))
    if (parsed.offset === -1) return { ok: false, error: parsed.result.error || 'malformed ASN.1' }
    return { ok: true, result: parsed.result, offset: parsed.offset }
  } catch (error) {
    return { ok: false, error: (error as Error).message }
  }
}
