/** Rules over a whole chain: order, name and key-identifier linkage, signatures, path length. */
import type { Severity } from '../../../shared/lint-model'
import { signatureProblem } from '../../certs/chain'
import type { LintContext } from '../context'
import { bytesEqual, toHex } from '../der'
import { hasKeyUsage, KU } from '../extensions'

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
    id: 'chain.signature.invalid',
    severity: 'error',
    source: 'RFC 5280 6.1.3 (a)(1)',
    title: "Signature does not verify with the next certificate's key",
    fix:
      'The chain holds the wrong CA (same name, different key) or the certificate was altered; re-issue ' +
      'with `certdesk ca sign` or fetch the real issuer.',
    check: ({ contexts }) =>
      eachLink(contexts, (child, issuer, i) => {
        const problem = signatureProblem(child.cert, issuer.cert)
        return problem ? `${label(i)}'s signature ${problem} with ${label(i + 1)}'s public key` : null
      }),
  },
  {
    id: 'chain.issuer.not_ca',
    severity: 'error',
    source: 'RFC 5280 6.1.4 (k); OpenSSL X509_V_ERR_INVALID_CA',
    title: 'A certificate that issues another is not a CA',
    fix:
      'Issue intermediates with `basicConstraints = critical, CA:TRUE` and `keyUsage = critical, ' +
      'keyCertSign, cRLSign` (`certdesk ca sign --profile intermediate`).',
    check: ({ contexts }) =>
      eachLink(contexts, (_, c, i) => {
        const kuRejects = c.keyUsage !== null && !hasKeyUsage(c.keyUsage, KU.keyCertSign)
        const legacy = c.bc === null && !kuRejects && ((c.cert.version === 1 && c.selfIssued) || c.keyUsage !== null || c.netscapeCa)
        return kuRejects || !(c.isCa || legacy)
          ? `${label(i + 1)} issues ${label(i)} but is not a CA${kuRejects ? ' (keyUsage lacks keyCertSign)' : ''}`
          : null
      }),
  },
  {
    id: 'chain.path_len.exceeded',
    severity: 'error',
    source: 'RFC 5280 4.2.1.9, 6.1.4 (m); OpenSSL X509_V_ERR_PATH_LENGTH_EXCEEDED',
    title: 'More intermediates below a CA than its pathLenConstraint allows',
    fix: 'Re-issue the constraining CA with a larger `pathlen:N` (`certdesk ca new --path-len N`) or shorten the chain.',
    check: ({ contexts }) => {
      const out: string[] = []
      contexts.forEach((c, i) => {
        if (i < 2 || !c.bc || c.bc.pathLen === null || c.bc.pathLen < 0) return
        // Non-self-issued intermediates strictly between this CA and the leaf.
        let below = 0
        for (let j = 1; j < i; j++) if (!contexts[j]!.selfIssued) below++
        if (below > c.bc.pathLen) out.push(`${label(i)} allows ${c.bc.pathLen} intermediate(s) below it but ${below} follow`)
      })
      return out
    },
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
