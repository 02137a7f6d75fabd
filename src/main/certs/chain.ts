/**
 * Chain order, derived from the certificates and never trusted from the file: a certificate's issuer
 * is the one whose subject name equals its issuer name (byte for byte) and, where both carry them,
 * whose Subject Key Identifier equals its Authority Key Identifier. When several candidates remain (two
 * CAs with the same name and no key identifiers), the one whose key verifies the signature wins.
 *
 * Check (`lint/chain.ts`) and Upload (`cloudflare/account-mtls.ts`) both order with this module, so a
 * bundle the checker passes is one the upload accepts. Cheap to load: the lean DER reader and node:crypto.
 */
import { AppError } from '../../shared/errors'
import { bytesEqual, DerError, parseCertificate, type ParsedCertificate } from '../lint/der'
import { describeName } from '../lint/dn'
import { decodeAuthorityKeyIdentifier, decodeSubjectKeyIdentifier, EXT } from '../lint/extensions'
import { signatureProblem } from '../lint/path/signature'

interface Link {
  cert: ParsedCertificate
  ski: Uint8Array | null
  aki: Uint8Array | null
}

function keyId(cert: ParsedCertificate, oid: string, decode: (value: Uint8Array) => Uint8Array | null): Uint8Array | null {
  const ext = cert.extensions?.find((e) => e.oid === oid)
  if (!ext) return null
  try {
    return decode(ext.value)
  } catch (error) {
    if (error instanceof DerError) return null
    throw error
  }
}

function link(cert: ParsedCertificate): Link {
  return {
    cert,
    ski: keyId(cert, EXT.subjectKeyIdentifier, decodeSubjectKeyIdentifier),
    aki: keyId(cert, EXT.authorityKeyIdentifier, (v) => decodeAuthorityKeyIdentifier(v).keyId),
  }
}

/** Whether `parent` names and identifies the issuer of `child` (names, and key identifiers where both have them). */
function names(parent: Link, child: Link): boolean {
  if (!bytesEqual(parent.cert.subjectRaw, child.cert.issuerRaw)) return false
  return !(parent.ski && child.aki) || bytesEqual(parent.ski, child.aki)
}

const selfIssued = (l: Link): boolean => bytesEqual(l.cert.subjectRaw, l.cert.issuerRaw)

/** Why `child`'s signature does not verify with `issuer`'s public key, or null when it does (path validation's check). */
export { signatureProblem }

/**
 * The certificate among `candidates` that issued `child`: names and key identifiers link them and its
 * key verifies the child's signature. Undefined when none did.
 */
export function findIssuer(child: ParsedCertificate, candidates: readonly ParsedCertificate[]): ParsedCertificate | undefined {
  const c = link(child)
  return candidates.find((parent) => parent !== child && names(link(parent), c) && signatureProblem(child, parent) === null)
}

/** Self-issued and its own key verifies its signature. */
export function isSelfSigned(cert: ParsedCertificate): boolean {
  return bytesEqual(cert.subjectRaw, cert.issuerRaw) && signatureProblem(cert, cert) === null
}

export interface ChainOrdering {
  /** How the input was ordered: leaf first, root first, a lone certificate, or neither (rebuilt). */
  order: 'leaf-first' | 'root-first' | 'single' | 'unordered'
  /** Input indexes leaf first: the chain followed up from the leaf end, then any that are not part of it. */
  indexes: number[]
  /** How many of `indexes` form the chain; the rest are not part of it. */
  linked: number
  /** Input indexes of the certificates that issue none of the others (one in a single chain). */
  leafEnds: number[]
}

/** Orders parsed certificates leaf first; never throws: what is not one chain is said in `linked` and `leafEnds`. */
export function orderCertificates(certs: readonly ParsedCertificate[]): ChainOrdering {
  const links = certs.map(link)
  const all = links.map((_, i) => i)
  const issues = (parent: number, child: number): boolean => parent !== child && names(links[parent]!, links[child]!)
  const leafEnds = all.filter((i) => !all.some((j) => issues(i, j) && !selfIssued(links[j]!)))
  if (links.length <= 1) return { order: 'single', indexes: all, linked: all.length, leafEnds }
  const linkedIn = (idx: number[]): boolean => idx.every((v, k) => k + 1 === idx.length || issues(idx[k + 1]!, v))
  if (linkedIn(all)) return { order: 'leaf-first', indexes: all, linked: all.length, leafEnds }
  const reversed = [...all].reverse()
  if (linkedIn(reversed)) return { order: 'root-first', indexes: reversed, linked: all.length, leafEnds }
  // Rebuild: from the first leaf end, follow issuers; the signature decides between same-name candidates.
  const built: number[] = []
  for (let current = leafEnds[0]; current !== undefined && !built.includes(current);) {
    built.push(current)
    const child: number = current
    const candidates = all.filter((j) => !built.includes(j) && issues(j, child))
    current =
      candidates.length > 1 ? (candidates.find((j) => signatureProblem(certs[child]!, certs[j]!) === null) ?? candidates[0]) : candidates[0]
  }
  const rest = all.filter((i) => !built.includes(i))
  return { order: 'unordered', indexes: [...built, ...rest], linked: built.length, leafEnds }
}

function notOneChain(message: string, reason: string): AppError {
  return new AppError('bad_input', message, {
    hint: 'Give the certificates of one chain only: the leaf (or intermediate) and the CAs above it.',
    details: { reason },
  })
}

const quoted = (cert: ParsedCertificate): string => `"${describeName(cert.subjectRaw)}"`

/**
 * The certificates (DER) of exactly one chain, in the order asked for. Throws `bad_input` for a
 * certificate that does not decode, certificates that are not one chain (naming them), or a link whose
 * signature does not verify with the next certificate's key (a CA with the same name but another key).
 */
export function orderOneChain(ders: readonly Uint8Array[], order: 'leaf-first' | 'root-first' = 'leaf-first'): Uint8Array[] {
  if (ders.length === 0) throw notOneChain('There are no certificates to put in order.', 'empty')
  const certs = ders.map((der, i) => {
    try {
      return parseCertificate(der)
    } catch (error) {
      if (!(error instanceof DerError)) throw error
      throw new AppError('bad_input', `Certificate ${i + 1} could not be decoded.`, {
        hint: 'Copy the certificate again from its source, including its BEGIN and END lines.',
        details: { reason: 'damaged_content' },
        cause: error,
      })
    }
  })
  const ordering = orderCertificates(certs)
  const chain = ordering.indexes.slice(0, ordering.linked).map((i) => certs[i]!)
  const rest = ordering.indexes.slice(ordering.linked).map((i) => certs[i]!)
  if (rest.length) {
    const what = rest.map(quoted).join(', ')
    throw notOneChain(
      `These certificates are not one chain: ${what} ${rest.length === 1 ? 'is' : 'are'} not part of the chain of ${quoted(chain[0]!)}.`,
      'not_one_chain',
    )
  }
  for (let i = 0; i + 1 < chain.length; i++) {
    const problem = signatureProblem(chain[i]!, chain[i + 1]!)
    if (problem)
      throw notOneChain(
        `The signature of ${quoted(chain[i]!)} ${problem} with the key of ${quoted(chain[i + 1]!)}: a CA ` +
          `with the same name but another key?`,
        'bad_signature',
      )
  }
  const ordered = chain.map((c) => c.der)
  return order === 'leaf-first' ? ordered : ordered.reverse()
}
