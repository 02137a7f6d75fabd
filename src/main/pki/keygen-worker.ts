/**
 * RSA key generation off the main thread. RSA-4096 takes seconds of CPU; doing it here keeps the
 * Electron main process (and so every window) responsive, and a pool of these uses every core.
 *
 * Self-contained on purpose: it is its own bundle entry (out/main/keygen-worker.js) and, under
 * vitest, runs straight from this .ts file through Node's type stripping — so only `node:` imports
 * and erasable TypeScript syntax. It answers with PKCS#8/SPKI DER; main imports them as CryptoKeys.
 */
import { generateKeyPairSync } from 'node:crypto'
import { parentPort } from 'node:worker_threads'

interface KeygenRequest {
  id: number
  bits: number
}

type KeygenReply = { id: number; ok: true; pkcs8: ArrayBuffer; spki: ArrayBuffer } | { id: number; ok: false; message: string }

function toArrayBuffer(buf: Buffer): ArrayBuffer {
  // Node hands back pooled Buffers; copy into an exact-size ArrayBuffer so it can be transferred.
  const out = new ArrayBuffer(buf.length)
  new Uint8Array(out).set(buf)
  return out
}

parentPort?.on('message', (request: KeygenRequest) => {
  let reply: KeygenReply
  try {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', {
      modulusLength: request.bits,
      publicExponent: 0x10001,
      privateKeyEncoding: { type: 'pkcs8', format: 'der' },
      publicKeyEncoding: { type: 'spki', format: 'der' },
    })
    reply = { id: request.id, ok: true, pkcs8: toArrayBuffer(privateKey), spki: toArrayBuffer(publicKey) }
    parentPort?.postMessage(reply, [reply.pkcs8, reply.spki])
  } catch (error) {
    reply = { id: request.id, ok: false, message: error instanceof Error ? error.message : String(error) }
    parentPort?.postMessage(reply)
  }
})
