/**
 * A bounded cache keyed by the exact bytes of one or two byte strings (a certificate's DER, an issuer's
 * SubjectPublicKeyInfo). A lookup reads a short sample of each key — its length and last bytes, which for
 * DER certificates and keys are signature or key material — and returns an entry only when every byte of
 * every key equals the stored copy (one memcmp), so different bytes can never reach another's entry; two
 * keys with the same sample only cost a miss (the newer replaces the older). Keys are copied on insert,
 * so a caller reusing its buffer cannot change what an entry stands for. Entries not used for a while go first when the cache is full.
 */
const NONE = new Uint8Array(0)
const SAMPLE = 24

interface Entry<V> {
  a: Uint8Array
  b: Uint8Array
  value: V
}

/** FNV-1a over a key's length and last SAMPLE bytes. */
function mix(h: number, key: Uint8Array): number {
  h = Math.imul(h ^ key.length, 0x01000193)
  for (let i = Math.max(0, key.length - SAMPLE); i < key.length; i++) h = Math.imul(h ^ key[i]!, 0x01000193)
  return h
}

/** Both keys' samples (length and last bytes), folded to a small integer: a fast Map key, not an identity. */
export const sample = (a: Uint8Array, b: Uint8Array = NONE): number => mix(mix(0x811c9dc5, a), b) & 0x3fffffff

/** A copy of `bytes` from Node's small-allocation pool (a Buffer's slice() would be a view, not a copy). */
export function copyBytes(bytes: Uint8Array): Uint8Array {
  const pooled = Buffer.allocUnsafe(bytes.length)
  const own = new Uint8Array(pooled.buffer, pooled.byteOffset, bytes.length)
  own.set(bytes)
  return own
}

const same = (x: Uint8Array, y: Uint8Array): boolean => x.length === y.length && Buffer.compare(x, y) === 0

export class ByteKeyedCache<V> {
  // Two generations of at most half the limit each: a hit in the old one moves the entry to the young
  // one, and a full young one becomes the old one (the old one is dropped). Recently used entries stay;
  // every operation is O(1), without deleting from a large Map (whose holes make a Map-as-queue slow).
  private young = new Map<number, Entry<V>>()
  private old = new Map<number, Entry<V>>()
  private readonly half: number

  constructor(limit: number) {
    this.half = Math.max(1, Math.floor(limit / 2))
  }

  /** Entries held (an entry moved to the young generation may be counted twice until the old one goes). */
  get size(): number {
    return this.young.size + this.old.size
  }

  /** The value stored under exactly these bytes, or undefined; `id` is their sample, when the caller has it already. */
  get(a: Uint8Array, b: Uint8Array = NONE, id = sample(a, b)): V | undefined {
    let entry = this.young.get(id)
    if (!entry) {
      entry = this.old.get(id)
      if (!entry || !same(entry.a, a) || !same(entry.b, b)) return undefined
      this.keep(id, entry)
      return entry.value
    }
    return same(entry.a, a) && same(entry.b, b) ? entry.value : undefined
  }

  /**
   * Stores `value` under these bytes and returns it. `owned` says the caller hands the key's bytes over
   * (a copy nobody else holds), so they are kept as they are rather than copied again.
   */
  set(value: V, a: Uint8Array, b: Uint8Array = NONE, owned = false, id = sample(a, b)): V {
    this.keep(id, { a: owned ? a : copyBytes(a), b: owned ? b : copyBytes(b), value })
    return value
  }

  clear(): void {
    this.young = new Map()
    this.old = new Map()
  }

  private keep(id: number, entry: Entry<V>): void {
    if (this.young.size >= this.half && !this.young.has(id)) {
      this.old = this.young
      this.young = new Map()
    }
    this.young.set(id, entry)
  }
}
