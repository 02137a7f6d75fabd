// Chain linting: order, linkage, signatures, path length — and the python-strict profile agreeing
// with `openssl verify -x509_strict` on chains that are clean or carry one strict violation each.
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Version } from '@peculiar/asn1-x509'
import { lintChain } from '../../../src/main/lint'
import { CHAIN_RULES } from '../../../src/main/lint/rules/chain'
import { PATH_RULES } from '../../../src/main/lint/path'
import { CA_EXT, CLIENT_EXT, Forge, type IssueSpec, type Issued } from '../../support/forge'

const execFileAsync = promisify(execFile)
const forge = new Forge()
const without = (lines: string[], prefix: string): string[] => lines.filter((l) => !l.startsWith(prefix))
const replace = (lines: string[], prefix: string, line: string): string[] => [...without(lines, prefix), line]
const ROOT_EXT = without(CA_EXT, 'authorityKeyIdentifier')

interface Chain {
  name: string
  root: Issued
  inter: Issued
  leaf: Issued
}

let good: Chain
const fx: Record<string, Issued> = {}
const variants: Chain[] = []

function chain(
  name: string,
  opts: { root?: Partial<IssueSpec>; inter?: Partial<IssueSpec>; leaf?: Partial<IssueSpec>; edit?: 'sigMismatch' | 'v1Leaf' } = {},
): Chain {
  const root = forge.issue({ name: `${name}-root`, ext: ROOT_EXT, ...opts.root })
  const inter = forge.issue({ name: `${name}-inter`, ext: CA_EXT, issuer: root, ...opts.inter })
  let leaf = forge.issue({ name: `${name}-leaf`, ext: CLIENT_EXT, issuer: inter, ...opts.leaf })
  if (opts.edit === 'sigMismatch')
    leaf = forge.edit(leaf, `${name}-leaf-edited`, inter.key, (c) => void (c.tbsCertificate.signature.algorithm = '1.2.840.10045.4.3.3'))
  if (opts.edit === 'v1Leaf') leaf = forge.edit(leaf, `${name}-leaf-edited`, inter.key, (c) => void (c.tbsCertificate.version = Version.v1))
  return { name, root, inter, leaf }
}

beforeAll(() => {
  good = chain('good')
  variants.push(
    good,
    chain('root-bc-not-critical', { root: { ext: replace(ROOT_EXT, 'basicConstraints', 'basicConstraints=CA:TRUE') } }),
    chain('root-no-key-usage', { root: { ext: without(ROOT_EXT, 'keyUsage') } }),
    chain('root-no-ski', {
      root: { ext: replace(ROOT_EXT, 'subjectKeyIdentifier', 'subjectKeyIdentifier=none') },
      inter: { ext: replace(CA_EXT, 'authorityKeyIdentifier', 'authorityKeyIdentifier=none') },
    }),
    chain('root-v1', {
      root: { ext: undefined },
      inter: { ext: replace(CA_EXT, 'authorityKeyIdentifier', 'authorityKeyIdentifier=none') },
    }),
    chain('root-ku-only', { root: { ext: without(ROOT_EXT, 'basicConstraints') } }),
    chain('root-empty-subject', { root: { subj: '/' } }),
    chain('inter-no-aki', { inter: { ext: without(CA_EXT, 'authorityKeyIdentifier') } }),
    chain('inter-aki-issuer-only', { inter: { ext: replace(CA_EXT, 'authorityKeyIdentifier', 'authorityKeyIdentifier=issuer:always') } }),
    chain('inter-aki-critical', {
      inter: { ext: replace(CA_EXT, 'authorityKeyIdentifier', 'authorityKeyIdentifier=critical,keyid:always') },
    }),
    chain('inter-ski-critical', { inter: { ext: replace(CA_EXT, 'subjectKeyIdentifier', 'subjectKeyIdentifier=critical,hash') } }),
    chain('inter-bc-not-critical', { inter: { ext: replace(CA_EXT, 'basicConstraints', 'basicConstraints=CA:TRUE') } }),
    chain('inter-no-ski', {
      inter: { ext: replace(CA_EXT, 'subjectKeyIdentifier', 'subjectKeyIdentifier=none') },
      leaf: { ext: replace(CLIENT_EXT, 'authorityKeyIdentifier', 'authorityKeyIdentifier=none') },
    }),
    chain('leaf-pathlen-non-ca', {
      leaf: { ext: replace(CLIENT_EXT, 'basicConstraints', 'basicConstraints=critical,CA:FALSE,pathlen:0') },
    }),
    chain('leaf-key-cert-sign', { leaf: { ext: replace(CLIENT_EXT, 'keyUsage', 'keyUsage=critical,digitalSignature,keyCertSign') } }),
    chain('leaf-empty-subject-no-san', { leaf: { subj: '/' } }),
    chain('leaf-empty-subject-san', { leaf: { subj: '/', ext: [...CLIENT_EXT, 'subjectAltName=email:a@example.com'] } }),
    chain('leaf-empty-subject-critical-san', { leaf: { subj: '/', ext: [...CLIENT_EXT, 'subjectAltName=critical,email:a@example.com'] } }),
    chain('leaf-empty-san', { leaf: { ext: [...CLIENT_EXT, '2.5.29.17=DER:3000'] } }),
    chain('leaf-no-aki', { leaf: { ext: without(CLIENT_EXT, 'authorityKeyIdentifier') } }),
    chain('leaf-explicit-ec', { leaf: { key: 'ec-explicit' } }),
    chain('leaf-sig-mismatch', { edit: 'sigMismatch' }),
    chain('leaf-v1-with-extensions', { edit: 'v1Leaf' }),
    // Not strict violations: strict mode must still accept these.
    chain('leaf-bc-not-critical', { leaf: { ext: replace(CLIENT_EXT, 'basicConstraints', 'basicConstraints=CA:FALSE') } }),
    chain('leaf-negative-serial', { leaf: { serial: '-77' } }),
    chain('leaf-long-serial', { leaf: { serial: `0x7f${'00'.repeat(20)}` } }),
    chain('root-ku-not-critical', { root: { ext: replace(ROOT_EXT, 'keyUsage', 'keyUsage=keyCertSign,cRLSign') } }),
  )
  fx.other = forge.issue({ name: 'other-root', ext: ROOT_EXT })
  fx.impostor = forge.issue({
    name: 'good-inter',
    key: 'ec2',
    ext: replace(CA_EXT, 'authorityKeyIdentifier', 'authorityKeyIdentifier=keyid:always'),
    issuer: good.root,
  })
  fx.pathRoot = forge.issue({
    name: 'path-root',
    ext: replace(ROOT_EXT, 'basicConstraints', 'basicConstraints=critical,CA:TRUE,pathlen:0'),
  })
  fx.pathInter = forge.issue({ name: 'path-inter', ext: CA_EXT, issuer: fx.pathRoot })
  fx.pathLeaf = forge.issue({ name: 'path-leaf', ext: CLIENT_EXT, issuer: fx.pathInter })
  fx.leafIssued = forge.issue({ name: 'leaf-issued', ext: CLIENT_EXT, issuer: good.leaf })
}, 120_000)

afterAll(() => forge.cleanup())

async function opensslStrictFails(c: Chain): Promise<{ fails: boolean; output: string }> {
  try {
    const { stdout, stderr } = await execFileAsync('openssl', [
      'verify',
      '-x509_strict',
      '-CAfile',
      c.root.pem,
      '-untrusted',
      c.inter.pem,
      c.leaf.pem,
    ])
    return { fails: false, output: stdout + stderr }
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string }
    return { fails: true, output: `${e.stdout ?? ''}${e.stderr ?? ''}` }
  }
}

const ids = (ders: Uint8Array[], profile: Parameters<typeof lintChain>[1] = {}): string[] => {
  const report = lintChain(ders, profile)
  return [...report.chainFindings.map((f) => f.ruleId), ...report.certificates.flatMap((c) => c.report.findings.map((f) => f.ruleId))]
}

describe('python-strict agrees with openssl verify -x509_strict', () => {
  it('fails exactly the chains OpenSSL strict verification fails', async () => {
    const results = await Promise.all(variants.map(async (c) => ({ c, openssl: await opensslStrictFails(c) })))
    const disagreements: string[] = []
    let failing = 0
    for (const { c, openssl } of results) {
      const report = lintChain([c.leaf.der, c.inter.der, c.root.der], { profile: 'python-strict' })
      if (openssl.fails) failing++
      if (report.passed === openssl.fails) {
        const ours = [...report.chainFindings, ...report.certificates.flatMap((x) => x.report.findings)].map((f) => f.ruleId)
        disagreements.push(
          `${c.name}: openssl ${openssl.fails ? 'fails' : 'passes'} (${openssl.output.trim().split('\n').slice(-2).join(' | ')}), certdesk ${report.passed ? 'passes' : `fails: ${ours.join(', ')}`}`,
        )
      }
    }
    expect(disagreements).toEqual([])
    // The set really exercises both outcomes.
    expect(failing).toBeGreaterThan(15)
    expect(results.length - failing).toBeGreaterThanOrEqual(5)
  })

  it('the same certificates pass openssl verify without -x509_strict where only strict checks fail', async () => {
    const c = variants.find((v) => v.name === 'root-bc-not-critical')!
    await expect(execFileAsync('openssl', ['verify', '-CAfile', c.root.pem, '-untrusted', c.inter.pem, c.leaf.pem])).resolves.toBeTruthy()
  })
})

describe('chain rules', () => {
  it('passes a good leaf-first chain and names its order', () => {
    const report = lintChain([good.leaf.der, good.inter.der, good.root.der], { profile: 'client' })
    expect(report.order).toBe('leaf-first')
    expect(report.chainFindings).toEqual([])
    expect(report.passed).toBe(true)
    expect(report.certificates.map((c) => c.report.profile)).toEqual(['client', 'intermediate-ca', 'root-ca'])
    expect(report.certificates[0]!.subject).toBe('CN=good-leaf')
    expect(report.certificates[2]!.sha256).toMatch(/^[0-9a-f]{64}$/)
  })

  it('accepts root-first input (Cloudflare order) and wants it for Gateway', () => {
    const report = lintChain([good.root.der, good.inter.der], { profile: 'gateway-byopki' })
    expect(report.order).toBe('root-first')
    expect(report.certificates.map((c) => c.inputIndex)).toEqual([1, 0])
    expect(report.chainFindings.map((f) => f.ruleId)).not.toContain('chain.order.not_root_first')
    expect(ids([good.inter.der, good.root.der], { profile: 'gateway-byopki' })).toContain('chain.order.not_root_first')
    expect(ids([good.inter.der, good.root.der], { profile: 'auto' })).not.toContain('chain.order.not_root_first')
  })

  it('reports unordered chains and still links them', () => {
    const report = lintChain([good.inter.der, good.leaf.der, good.root.der])
    expect(report.order).toBe('unordered')
    expect(report.chainFindings.map((f) => f.ruleId)).toEqual(['chain.order.unordered'])
    expect(report.certificates.map((c) => c.inputIndex)).toEqual([1, 0, 2])
  })

  it('catches a name link that does not hold', () => {
    expect(ids([good.leaf.der, good.inter.der, good.root.der])).not.toContain('chain.link.issuer_mismatch')
    expect(ids([good.inter.der, fx.other!.der])).toContain('chain.link.issuer_mismatch')
  })

  it('catches a same-name CA with a different key: key id mismatch and a signature that does not verify', () => {
    const bad = ids([good.leaf.der, fx.impostor!.der, good.root.der])
    expect(bad).toContain('chain.link.key_id_mismatch')
    expect(bad).toContain('chain.signature.invalid')
    const ok = ids([good.leaf.der, good.inter.der, good.root.der])
    expect(ok).not.toContain('chain.link.key_id_mismatch')
    expect(ok).not.toContain('chain.signature.invalid')
  })

  it('enforces pathLenConstraint across the chain, as openssl does', async () => {
    expect(ids([fx.pathLeaf!.der, fx.pathInter!.der, fx.pathRoot!.der])).toContain('chain.path_len.exceeded')
    expect(ids([fx.pathInter!.der, fx.pathRoot!.der])).not.toContain('chain.path_len.exceeded')
    await expect(
      execFileAsync('openssl', ['verify', '-CAfile', fx.pathRoot!.pem, '-untrusted', fx.pathInter!.pem, fx.pathLeaf!.pem]),
    ).rejects.toThrow(/path length/)
  })

  it('flags an issuer that is not a CA', () => {
    expect(ids([fx.leafIssued!.der, good.leaf.der])).toContain('chain.issuer.not_ca')
    expect(ids([good.leaf.der, good.inter.der])).not.toContain('chain.issuer.not_ca')
  })

  it('notes a chain without its root', () => {
    expect(ids([good.leaf.der, good.inter.der])).toContain('chain.incomplete')
    expect(ids([good.leaf.der, good.inter.der, good.root.der])).not.toContain('chain.incomplete')
  })

  it('covers every chain rule above', () => {
    const tested = [
      'chain.order.unordered',
      'chain.order.not_root_first',
      'chain.link.issuer_mismatch',
      'chain.link.key_id_mismatch',
      'chain.signature.invalid',
      'chain.issuer.not_ca',
      'chain.path_len.exceeded',
      'chain.incomplete',
    ]
    expect(CHAIN_RULES.map((r) => r.id).sort()).toEqual(tested.filter((id) => !PATH_RULES.some((r) => r.id === id)).sort())
    // Signatures, CA status and path length are path validation's (RFC 5280 6.1), under the same rule ids.
    for (const id of ['chain.signature.invalid', 'chain.issuer.not_ca', 'chain.path_len.exceeded'])
      expect(PATH_RULES.map((r) => r.id)).toContain(id)
  })
})
