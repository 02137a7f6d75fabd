/**
 * Puts a pile of certificates in chain order. Uploads disagree on the order they want — Gateway
 * BYOPKI wants the root first (seed 003), TLS servers and PKCS#12 want the leaf first — and people
 * paste bundles in any order, so order is derived from the certificates (issuer name = subject
 * name, AKI = SKI where both exist), never trusted from the file.
 */
import * as x509 from '@peculiar/x509'
import { AppError } from '../../shared/errors'

interface Node {
  der: Uint8Array
  cert: x509.X509Certificate
  ski: string | undefined
  aki: string | undefined
}

export type ChainOrder = 'leaf-first' | 'root-first'

function bad(message: string, reason: string): AppError {
  return new AppError('bad_input', message, {
    hint: 'Give the certificates of one chain only: the leaf (or intermediate) and the CAs above it.',
    details: { reason },
  })
}

function node(der: Uint8Array, index: number): Node {
  let cert: x509.X509Certificate
  try {
    cert = new x509.X509Certificate(der)
  } catch (error) {
    throw new AppError('bad_input', `Certificate ${index + 1} could not be decoded.`, {
      hint: 'Copy the certificate again from its source.',
      details: { reason: 'damaged_content' },
      cause: error,
    })
  }
  return {
    der,
    cert,
    ski: cert.getExtension(x509.SubjectKeyIdentifierExtension)?.keyId,
    aki: cert.getExtension(x509.AuthorityKeyIdentifierExtension)?.keyId,
  }
}

function issues(parent: Node, child: Node): boolean {
  if (parent === child) return false
  if (parent.cert.subject !== child.cert.issuer) return false
  return !(parent.ski && child.aki) || parent.ski === child.aki
}

function isSelfSigned(n: Node): boolean {
  return n.cert.subject === n.cert.issuer && (!n.ski || !n.aki || n.ski === n.aki)
}

/** The certificates (DER) of one chain in the requested order; duplicates are dropped. */
export function orderChain(certificates: Uint8Array[], order: ChainOrder = 'leaf-first'): Uint8Array[] {
  const seen = new Set<string>()
  const nodes = certificates
    .filter((der) => {
      const key = Buffer.from(der).toString('base64')
      if (seen.has(key)) return false
      seen.add(key)
      return true
    })
    .map(node)
  if (nodes.length === 0) throw bad('There are no certificates to put in order.', 'empty')
  // The leaf is the one certificate that issues none of the others.
  const leaves = nodes.filter((n) => !nodes.some((other) => issues(n, other) && !isSelfSigned(other)))
  if (leaves.length !== 1) {
    throw bad(
      `These certificates are not one chain: ${leaves.length} of them issue none of the others (${leaves.map((l) => l.cert.subject || '(empty subject)').join('; ')}).`,
      'not_one_chain',
    )
  }
  const chain: Node[] = [leaves[0]!]
  for (let current = leaves[0]!; !isSelfSigned(current);) {
    const parent = nodes.find((n) => !chain.includes(n) && issues(n, current))
    if (!parent) break
    chain.push(parent)
    current = parent
  }
  const unused = nodes.filter((n) => !chain.includes(n))
  if (unused.length)
    throw bad(
      `${unused.map((n) => `"${n.cert.subject}"`).join(', ')} ${unused.length === 1 ? 'is' : 'are'} not part of the chain of "${chain[0]!.cert.subject}".`,
      'not_one_chain',
    )
  const ders = chain.map((n) => n.der)
  return order === 'leaf-first' ? ders : ders.reverse()
}
