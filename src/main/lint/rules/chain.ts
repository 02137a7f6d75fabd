/** Rules over a whole chain as given: order, name and key-identifier linkage (path validation is in ../path). */
import type { Severity } from '../../../shared/lint-model'
import type { LintContext } from '../context'
import { bytesEqual, toHex } from '../der'

export interface ChainContext {
  /** Leaf first, after normalising a root-first input. */
  contexts: LintContext[]
  order: 'leaf-first' | 'root-first' | 'single' | 'unordered'
  /** The profile asked for: Gateway and BYO CA uploads want the root first. */
  rootFirstExpected: boolean
}

export interface ChainRule {
  id: string
  severity: Severity
  source: string
  title: string
  fix: string
  check(chain: ChainContext): string[]
}

const label = (i: number): string => (i === 0 ? 'certificate 1 (the leaf end)' : `certificate ${i + 1}`)

/** The finding (if any) of `check` on each link: certificate i and the next one, its issuer. */
function eachLink(contexts: LintContext[], check: (child: LintContext, issuer: LintContext, i: number) => string | null): string[] {
  return contexts.flatMap((child, i) => {
    const issuer = contexts[i + 1]
    const found = issuer ? check(child, issuer, i) : null
    return found === null ? [] : [found]
  })
}

export const CHAIN_RULES: ChainRule[] = [
  {
    id: 'chain.order.unordered',
    severity: 'error',
    source: 'RFC 8446 4.4.2; Cloudflare upload format',
    title: 'Certificates are not in issuing order',
    fix:
      'Concatenate the PEM blocks so each is followed by its issuer (`cat leaf.pem intermediate.pem ' +
      'root.pem`); check with `certdesk lint FILE` or `openssl crl2pkcs7 -nocrl -certfile FILE | openssl ' +
      'pkcs7 -print_certs -noout`.',
    check: ({ order }) =>
      order === 'unordered' ? ['no ordering of the certificates links each one to the next by issuer and subject'] : [],
  },
  {
    id: 'chain.order.not_root_first',
    severity: 'warning',
    source: 'Cloudflare Gateway BYOPKI (Deploy custom certificate): root first, then intermediates',
    title: 'Cloudflare expects the root certificate first',
    fix:
      'Re-order the PEM file: root certificate first, then intermediates (`cat root.pem intermediate.pem > ' +
      'chain.pem`), and re-check with `certdesk lint chain.pem --profile gateway-byopki`.',
    check: ({ order, rootFirstExpected }) =>
      rootFirstExpected && order === 'leaf-first' ? ['the chain starts with the leaf end; Cloudflare wants the root first'] : [],
  },
  {
    id: 'chain.link.issuer_mismatch',
    severity: 'error',
    source: 'RFC 5280 6.1.3 (a)(4)',
    title: "Issuer name does not match the next certificate's subject",
    fix: "Include the CA that actually issued each certificate (compare `openssl x509 -noout -issuer` with the next one's `-subject`).",
    check: ({ contexts }) =>
      eachLink(contexts, (child, issuer, i) =>
        bytesEqual(child.cert.issuerRaw, issuer.cert.subjectRaw) ? null : `${label(i)}'s issuer is not the subject of ${label(i + 1)}`,
      ),
  },
  {
    id: 'chain.link.key_id_mismatch',
    severity: 'error',
    source: 'RFC 5280 4.2.1.1',
    title: "Authority Key Identifier does not match the issuer's Subject Key Identifier",
    fix:
      'Re-issue from the right CA with `authorityKeyIdentifier = keyid:always` (openssl) or `certdesk ca ' +
      'sign`, or put the CA whose key signed it in the chain.',
    check: ({ contexts }) =>
      eachLink(contexts, (child, issuer, i) => {
        const aki = child.aki?.keyId
        const ski = issuer.ski
        return aki && ski && !bytesEqual(aki, ski) ? `${label(i)} names key ${toHex(aki)} but ${label(i + 1)} has key ${toHex(ski)}` : null
      }),
  },
  {
    id: 'chain.incomplete',
    severity: 'notice',
    source: 'RFC 5280 6.1',
    title: 'The chain does not end at a self-signed root',
    fix:
      'Append the root CA if the consumer needs it (`cat chain.pem root.pem`; Gateway and BYO CA uploads ' +
      'do, TLS servers usually omit it); `openssl verify -CAfile root.pem -untrusted chain.pem leaf.pem` ' +
      'confirms it.',
    check: ({ contexts }) =>
      contexts.length > 0 && !contexts[contexts.length - 1]!.selfIssued
        ? ['the last certificate is not self-issued, so the root is not included']
        : [],
  },
]
