/**
 * RFC 5280 section 6.1 path validation over a built path (leaf first, trust anchor last): signatures,
 * validity at a given time, basicConstraints and pathLenConstraint, keyCertSign, name constraints in
 * all five forms, the extended key usage a purpose needs, and the peer's host name or IP address.
 * Where RFC 5280 leaves a choice, it decides as OpenSSL 3 does (Python's ssl module), so the verdict
 * is the one a verifier reaches: the anchor's own fields and signature are not checked (6.1.1 (d)),
 * its name constraints are applied, and a CA recognised only by legacy rules may anchor a path.
 *
 * Each finding names the certificate by position and subject, and its rule cites the section.
 */
import type { Severity } from '../../../shared/lint-model'
import type { LintContext } from '../context'
import { describeName } from '../dn'
import { EKU, hasKeyUsage, KU } from '../extensions'
import { GN, subjectStrings, type GeneralName } from './general-names'
import {
  checkName,
  cnAsDnsName,
  constrainsForm,
  describeGeneralName,
  type ConstraintResult,
  type NameConstraints,
} from './name-constraints'
import { peerNameProblem, type PeerName } from './peer-name'
import { signatureProblem } from './signature'

export type Purpose = 'server' | 'client'

export interface PathOptions {
  /** The time to validate at (ms since the epoch). */
  at: number
  purpose?: Purpose
  peer?: PeerName
  /** Positions whose validity period is checked here (default: all); chain linting leaves its own to the per-certificate rules. */
  checkTimeOf?: readonly number[]
}

export interface PathFinding {
  ruleId: string
  /** Position in the path: 0 is the leaf end, the last is the trust anchor. */
  index: number
  message: string
}

export interface PathRule {
  id: string
  severity: Severity
  source: string
  title: string
  fix: string
}

const REISSUE_CA =
  'Issue intermediates with `basicConstraints = critical, CA:TRUE` and `keyUsage = critical, keyCertSign, cRLSign` ' +
  '(`certdesk ca sign --profile intermediate`).'

export const PATH_RULES: PathRule[] = [
  {
    id: 'chain.signature.invalid',
    severity: 'error',
    source: 'RFC 5280 6.1.3 (a)(1)',
    title: "Signature does not verify with the next certificate's key",
    fix:
      'The chain holds the wrong CA (same name, different key) or the certificate was altered; re-issue ' +
      'with `certdesk ca sign` or fetch the real issuer.',
  },
  {
    id: 'path.validity.expired',
    severity: 'error',
    source: 'RFC 5280 6.1.3 (a)(2)',
    title: 'A certificate of the path has expired at the validation time',
    fix: 'Renew it (`certdesk ca sign --days N`, `certdesk ca new --days N` for a CA), or check with `--at` at another time.',
  },
  {
    id: 'path.validity.not_yet_valid',
    severity: 'error',
    source: 'RFC 5280 6.1.3 (a)(2)',
    title: 'A certificate of the path is not yet valid at the validation time',
    fix: "Check the issuing machine's clock, or validate with `--at` at a time inside the certificate's validity.",
  },
  {
    id: 'chain.issuer.not_ca',
    severity: 'error',
    source: 'RFC 5280 6.1.4 (k); OpenSSL X509_V_ERR_INVALID_CA',
    title: 'A certificate that issues another is not a CA',
    fix: REISSUE_CA,
  },
  {
    id: 'path.key_usage.no_key_cert_sign',
    severity: 'error',
    source: 'RFC 5280 6.1.4 (n); OpenSSL X509_V_ERR_KEY_USAGE_NO_CERTSIGN',
    title: 'An issuing certificate whose keyUsage lacks keyCertSign',
    fix: REISSUE_CA,
  },
  {
    id: 'chain.path_len.exceeded',
    severity: 'error',
    source: 'RFC 5280 4.2.1.9, 6.1.4 (l)(m); OpenSSL X509_V_ERR_PATH_LENGTH_EXCEEDED',
    title: 'More intermediates below a CA than its pathLenConstraint allows',
    fix: 'Re-issue the constraining CA with a larger `pathlen:N` (`certdesk ca new --path-len N`) or shorten the chain.',
  },
  {
    id: 'path.name_constraints.permitted',
    severity: 'error',
    source: 'RFC 5280 4.2.1.10, 6.1.3 (b); OpenSSL X509_V_ERR_PERMITTED_VIOLATION',
    title: "A name is outside a CA's permitted subtrees",
    fix:
      "Issue the certificate for a name inside the CA's permitted subtrees (`openssl x509 -noout -ext nameConstraints` " +
      'on the CA shows them), or re-issue the CA with a wider `nameConstraints = critical, permitted;DNS:…`.',
  },
  {
    id: 'path.name_constraints.excluded',
    severity: 'error',
    source: 'RFC 5280 4.2.1.10, 6.1.3 (c); OpenSSL X509_V_ERR_EXCLUDED_VIOLATION',
    title: "A name is inside a CA's excluded subtrees",
    fix: 'Issue the certificate for a name the CA does not exclude (`openssl x509 -noout -ext nameConstraints` on the CA lists them).',
  },
  {
    id: 'path.name_constraints.unsupported',
    severity: 'error',
    source: 'RFC 5280 4.2.1.10; OpenSSL X509_V_ERR_UNSUPPORTED_NAME_SYNTAX / UNSUPPORTED_CONSTRAINT_SYNTAX',
    title: 'A name or constraint cannot be compared, so verifiers reject the path',
    fix:
      'Re-issue the CA with well-formed constraints (iPAddress as address and mask of 8 or 32 octets, no minimum/maximum) ' +
      'and names of a form the constraint can compare (an rfc822Name with "@", a URI with a host).',
  },
  {
    id: 'path.purpose.not_allowed',
    severity: 'error',
    source: 'RFC 5280 4.2.1.12, 4.2.1.3; OpenSSL X509_V_ERR_INVALID_PURPOSE',
    title: 'A certificate of the path does not allow the requested purpose',
    fix:
      'Re-issue with `extendedKeyUsage = serverAuth` (or `clientAuth`) and, on the leaf, `keyUsage = critical, ' +
      'digitalSignature` (`certdesk ca sign --profile server|client`); CAs with an EKU must list the purpose too.',
  },
  {
    id: 'path.self_signed.not_anchor',
    severity: 'error',
    source: 'RFC 5280 6.1 (a self-signed certificate is a trust anchor); OpenSSL X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN',
    title: 'A self-signed certificate sits inside the path',
    fix:
      'Remove the self-signed certificate from the chain file, or trust it directly (`--trust root.pem`); ' +
      'a CA key rollover certificate must be signed by the old key (`openssl x509 -req -CA old.pem -CAkey old.key`).',
  },
  {
    id: 'path.anchor.not_found',
    severity: 'error',
    source: 'RFC 5280 6.1.1 (d); OpenSSL X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
    title: 'The path does not reach a trusted certificate',
    fix:
      'Add the missing intermediate to the file (`cat leaf.pem intermediate.pem`), or trust the root that issued ' +
      'it (`--trust root.pem`); `openssl verify -CAfile root.pem -untrusted chain.pem leaf.pem` confirms it.',
  },
  {
    id: 'path.peer_name.mismatch',
    severity: 'error',
    source: 'RFC 6125 6.4; OpenSSL X509_V_ERR_HOSTNAME_MISMATCH / IP_ADDRESS_MISMATCH',
    title: 'The leaf does not name the requested host or IP address',
    fix: "Re-issue the leaf with the name in its subjectAltName (`-addext 'subjectAltName=DNS:host,IP:addr'`, `certdesk csr new --san`).",
  },
]

export const pathRule = (id: string): PathRule => {
  const rule = PATH_RULES.find((r) => r.id === id)
  if (!rule) throw new Error(`unknown path rule ${id}`)
  return rule
}

/** What X509_check_ca() says: 0 not a CA, 1 a CA by basicConstraints, 3/4/5 legacy (v1 root, keyUsage-only, Netscape). */
export function caKind(c: LintContext): 0 | 1 | 3 | 4 | 5 {
  if (c.keyUsage !== null && !hasKeyUsage(c.keyUsage, KU.keyCertSign)) return 0
  if (c.bc) return c.bc.ca ? 1 : 0
  if (c.cert.version === 1 && c.selfSigned) return 3
  if (c.keyUsage !== null) return 4
  if (c.netscapeCa) return 5
  return 0
}

const OID_NS_SGC = '2.16.840.1.113730.4.1'
const OID_MS_SGC = '1.3.6.1.4.1.311.10.3.3'

/** Why certificate `c` does not allow `purpose` (OpenSSL's X509_check_purpose for sslserver / sslclient), or null. */
const PURPOSE_EKU: Record<Purpose, readonly string[]> = { server: [EKU.serverAuth, OID_NS_SGC, OID_MS_SGC], client: [EKU.clientAuth] }
const PURPOSE_KU: Record<Purpose, readonly number[]> = {
  server: [KU.digitalSignature, KU.keyEncipherment, KU.keyAgreement],
  client: [KU.digitalSignature, KU.keyAgreement],
}

function purposeProblem(c: LintContext, purpose: Purpose, asCa: boolean): string | null {
  const wanted = PURPOSE_EKU[purpose]
  if (c.eku !== null && !c.eku.some((o) => wanted.includes(o)))
    return `its extendedKeyUsage does not include ${purpose === 'server' ? 'serverAuth' : 'clientAuth'}`
  if (asCa) return caKind(c) === 0 ? 'it is not a CA for TLS' : null
  const ku = PURPOSE_KU[purpose]
  if (c.keyUsage !== null && !ku.some((b) => hasKeyUsage(c.keyUsage!, b)))
    return `its keyUsage allows neither digitalSignature nor keyAgreement${purpose === 'server' ? ' nor keyEncipherment' : ''}`
  return null
}

export function pathLabel(path: readonly LintContext[], i: number): string {
  const role = i === 0 ? 'the leaf end' : i === path.length - 1 ? 'the trust anchor' : 'an intermediate'
  return `certificate ${i + 1} (${role}, "${describeName(path[i]!.cert.subjectRaw)}")`
}

const encoder = new TextEncoder()

/**
 * The first name of certificate `i` that the name constraints of certificate `j` reject (RFC 5280 6.1.3 (b)(c)),
 * as a finding, or null. Names are taken in order: the subject, its emailAddress attributes, the
 * subjectAltName entries, and for the leaf without a dNSName its CN read as a host name. A name of a form
 * the constraints have no subtree of passes them untouched, so only the forms they constrain are gathered
 * (a leaf's subject is not decoded to text unless an emailAddress or CN constraint could apply to it).
 */
function nameConstraintFinding(path: readonly LintContext[], i: number, j: number, nc: NameConstraints): PathFinding | null {
  const c = path[i]!
  const cert = c.cert
  const wantEmail = constrainsForm(nc, GN.rfc822)
  const wantCn = i === 0 && constrainsForm(nc, GN.dns) && !(c.san !== null && c.san.some((n) => n.type === GN.dns))
  const strings = wantEmail || wantCn ? subjectStrings(cert.subjectRaw) : null
  if (wantEmail && strings!.email.some((e) => !e.ia5))
    return {
      ruleId: 'path.name_constraints.unsupported',
      index: i,
      message: `${pathLabel(path, i)}: an emailAddress in its subject is not an IA5String`,
    }
  let r: ConstraintResult
  if (!cert.subjectEmpty && constrainsForm(nc, GN.directory)) {
    r = checkNameSafely({ type: GN.directory, value: cert.subjectRaw }, nc)
    if (!r.ok) return constraintFinding(path, i, j, r, false)
  }
  if (wantEmail) {
    for (const e of strings!.email) {
      r = checkNameSafely({ type: GN.rfc822, value: encoder.encode(e.value) }, nc)
      if (!r.ok) return constraintFinding(path, i, j, r, false)
    }
  }
  if (c.san !== null) {
    for (const name of c.san) {
      r = checkNameSafely(name, nc)
      if (!r.ok) return constraintFinding(path, i, j, r, false)
    }
  }
  if (wantCn) {
    for (const cn of strings!.cn) {
      const dns = cnAsDnsName(cn)
      if (!dns) continue
      r = checkNameSafely({ type: GN.dns, value: encoder.encode(dns) }, nc)
      if (!r.ok) return constraintFinding(path, i, j, r, true)
    }
  }
  return null
}

function constraintFinding(
  path: readonly LintContext[],
  i: number,
  j: number,
  r: Exclude<ConstraintResult, { ok: true }>,
  asCn: boolean,
): PathFinding {
  const what = `${describeGeneralName(r.name, describeName)}${asCn ? ' (its subject CN, read as a host name)' : ''}`
  const by = pathLabel(path, j)
  if (r.kind === 'permitted')
    return {
      ruleId: 'path.name_constraints.permitted',
      index: i,
      message: `${pathLabel(path, i)}: ${what} is outside the permitted subtrees of ${by}`,
    }
  if (r.kind === 'excluded')
    return {
      ruleId: 'path.name_constraints.excluded',
      index: i,
      message: `${pathLabel(path, i)}: ${what} is inside the excluded subtree ${describeGeneralName(r.base!, describeName)} of ${by}`,
    }
  return {
    ruleId: 'path.name_constraints.unsupported',
    index: i,
    message:
      `${pathLabel(path, i)}: ${what} cannot be compared with the constraint ` +
      `${r.base ? describeGeneralName(r.base, describeName) : ''} of ${by} (unsupported or malformed syntax)`,
  }
}

const iso = (ms: number): string => new Date(ms).toISOString()

/** Validates `path` (leaf first, anchor last). Returns every problem found; an empty list means the path is valid. */
export function validatePath(path: readonly LintContext[], options: PathOptions): PathFinding[] {
  const out: PathFinding[] = []
  const n = path.length
  const at = options.at
  const add = (ruleId: string, index: number, message: string): void => {
    out.push({ ruleId, index, message: `${pathLabel(path, index)}: ${message}` })
  }
  let nonSelfIssued = 0
  for (let i = 0; i < n; i++) {
    const c = path[i]!
    const cert = c.cert
    if (i + 1 < n) {
      const problem = signatureProblem(cert, path[i + 1]!.cert)
      if (problem) add('chain.signature.invalid', i, `its signature, checked with the public key of ${pathLabel(path, i + 1)}, ${problem}`)
    }
    if (i + 1 < n && c.selfIssued && signatureProblem(cert, cert) === null)
      add('path.self_signed.not_anchor', i, 'it is self-signed, so it can only be a trust anchor, yet the path goes on above it')
    if (!options.checkTimeOf || options.checkTimeOf.includes(i)) {
      if (cert.notBefore.ms > at) add('path.validity.not_yet_valid', i, `valid only from ${iso(cert.notBefore.ms)}, after ${iso(at)}`)
      if (cert.notAfter.ms < at) add('path.validity.expired', i, `expired on ${iso(cert.notAfter.ms)}, before ${iso(at)}`)
    }
    if (i > 0) {
      // Only the anchor may be a CA by legacy rules alone (v1 root, keyUsage-only); others need basicConstraints cA=TRUE.
      if (c.keyUsage !== null && !hasKeyUsage(c.keyUsage, KU.keyCertSign))
        add('path.key_usage.no_key_cert_sign', i, `it issues ${pathLabel(path, i - 1)} but its keyUsage lacks keyCertSign`)
      if (c.bc?.ca !== true && (i + 1 < n || caKind(c) === 0))
        add('chain.issuer.not_ca', i, `it issues ${pathLabel(path, i - 1)} but is not a CA (basicConstraints does not say cA=TRUE)`)
      if (i > 1 && c.bc && c.bc.pathLen !== null && c.bc.pathLen >= 0 && nonSelfIssued > c.bc.pathLen)
        add('chain.path_len.exceeded', i, `it allows ${c.bc.pathLen} intermediate(s) below it but ${nonSelfIssued} follow`)
      if (!c.selfIssued) nonSelfIssued++
    }
    if (options.purpose) {
      const problem = purposeProblem(c, options.purpose, i > 0)
      if (problem) add('path.purpose.not_allowed', i, `${problem}, so it cannot be used for TLS ${options.purpose} authentication`)
    }
  }
  // Name constraints: every certificate below a constraining CA (self-issued intermediates excepted), RFC 5280 6.1.3 (b)(c).
  for (let j = n - 1; j > 0; j--) {
    const nc = path[j]!.nameConstraints
    if (!nc) continue
    for (let i = j - 1; i >= 0; i--) {
      const c = path[i]!
      if (i !== 0 && c.selfIssued) continue
      const found = nameConstraintFinding(path, i, j, nc)
      if (found) out.push(found)
    }
  }
  if (options.peer && n > 0) {
    const leaf = path[0]!
    const problem = peerNameProblem(options.peer, leaf.san, subjectStrings(leaf.cert.subjectRaw).cn)
    if (problem) add('path.peer_name.mismatch', 0, problem)
  }
  return out
}

function checkNameSafely(name: GeneralName, nc: Parameters<typeof checkName>[1]): ConstraintResult {
  try {
    return checkName(name, nc)
  } catch {
    // A directoryName that does not decode cannot be compared.
    return { ok: false, kind: 'syntax', name }
  }
}
