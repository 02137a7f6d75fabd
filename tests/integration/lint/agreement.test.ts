// Agreement suite: python-strict's verdict on a chain must be OpenSSL's. Chains are generated in-process
// (tests/support/chain-forge.ts) to cover every path-validation rule and every name-constraint form;
// `openssl verify -x509_strict -partial_chain -attime … [-purpose] [-verify_hostname|-verify_ip]` is the
// referee, with the chain's last certificate as the only trusted one (what Python's cafile is). A few
// chains also go through a real TLS handshake in Python's ssl module (VERIFY_X509_STRICT |
// VERIFY_X509_PARTIAL_CHAIN, the Python 3.13 defaults), which adds host name checks without
// partial-label wildcards.
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'
import { lintChain, type PeerName, type Purpose } from '../../../src/main/lint'
import { oid, seq, tlv } from '../../../src/main/pki/der-writer'
import {
  caExts,
  certificate,
  cn,
  derToPem,
  EKU_OID,
  ext,
  gn,
  leafExts,
  name,
  newKey,
  T0,
  type Ext,
  type Key,
} from '../../support/chain-forge'
import { tempDir } from '../../support/tools'

const run = promisify(execFile)
const DAY = 86_400_000
const dir = tempDir('certdesk-agreement-')
afterAll(() => dir.remove())

interface Case {
  name: string
  family: string
  /** Leaf first; the last certificate is the trust anchor. */
  chain: Uint8Array[]
  at?: number
  purpose?: Purpose
  peer?: PeerName
}

const [rk, ik, lk, xk] = [newKey(), newKey(), newKey(), newKey()] as [Key, Key, Key, Key]
const ROOT = cn('Agreement Root')
const INTER = cn('Agreement Intermediate')
const root = (exts: Ext[] = caExts(rk, rk), more: Partial<Parameters<typeof certificate>[0]> = {}): Uint8Array =>
  certificate({ subject: ROOT, issuer: ROOT, key: rk, signer: rk, exts, ...more })
const inter = (exts: Ext[] = caExts(ik, rk), more: Partial<Parameters<typeof certificate>[0]> = {}): Uint8Array =>
  certificate({ subject: INTER, issuer: ROOT, key: ik, signer: rk, exts, ...more })
const leaf = (exts: Ext[] = leafExts(lk, ik), more: Partial<Parameters<typeof certificate>[0]> = {}): Uint8Array =>
  certificate({ subject: cn('leaf'), issuer: INTER, key: lk, signer: ik, exts, ...more })
const withSans = (...sans: Buffer[]): Uint8Array => leaf(leafExts(lk, ik, sans))
const interNc = (nc: Ext): Uint8Array => inter([...caExts(ik, rk), nc])
const L = leafExts(lk, ik)
const drop = (exts: Ext[], o: string): Ext[] => exts.filter((e) => e.oid !== o)
const swap = (exts: Ext[], e: Ext): Ext[] => [...drop(exts, e.oid), e]
const OID = { bc: '2.5.29.19', ku: '2.5.29.15', ski: '2.5.29.14', aki: '2.5.29.35', eku: '2.5.29.37', san: '2.5.29.17' }
const good = (): Uint8Array[] => [leaf(), inter(), root()]
const unknownCritical = ext.raw('1.3.6.1.4.1.55555.1', Buffer.from([5, 0]), true)

function cases(): Case[] {
  const out: Case[] = []
  const add = (family: string, name: string, chain: Uint8Array[], more: Partial<Case> = {}): void => {
    out.push({ family, name, chain, ...more })
  }
  // Baseline
  add('baseline', 'good three-certificate chain', good())
  add('baseline', 'good leaf issued by the root', [
    certificate({ subject: cn('leaf'), issuer: ROOT, key: lk, signer: rk, exts: leafExts(lk, rk) }),
    root(),
  ])
  add('baseline', 'intermediate as the trust anchor (partial chain)', [leaf(), inter()])
  add('baseline', 'trust anchor with serial number 0', [leaf(), inter(), root(caExts(rk, rk), { serial: 0 })])
  // Signatures (6.1.3 (a)(1))
  add('signature', 'leaf signed by another key', [
    certificate({ subject: cn('leaf'), issuer: INTER, key: lk, signer: xk, exts: L }),
    inter(),
    root(),
  ])
  add('signature', 'intermediate signed by another key', [leaf(), inter(caExts(ik, rk), { signer: xk }), root()])
  add('signature', "anchor's own signature broken (not checked)", [leaf(), inter(), root(caExts(rk, rk), { signer: xk })])
  // Validity (6.1.3 (a)(2))
  add('validity', 'leaf expired at the time', good(), { at: T0 + 400 * DAY })
  add('validity', 'leaf not yet valid', [leaf(L, { notBefore: new Date(T0 + DAY) }), inter(), root()])
  add('validity', 'intermediate expired', [leaf(), inter(caExts(ik, rk), { notAfter: new Date(T0 - 1000) }), root()])
  add('validity', 'trust anchor expired', [leaf(), inter(), root(caExts(rk, rk), { notAfter: new Date(T0 - 1000) })])
  add('validity', 'valid before the leaf starts', good(), { at: T0 - 2 * DAY })
  // basicConstraints, keyUsage, pathLen (6.1.4 (k)(l)(m)(n))
  add('ca', 'intermediate with CA:FALSE', [leaf(), inter(swap(caExts(ik, rk), ext.bc(false))), root()])
  add('ca', 'intermediate without basicConstraints', [leaf(), inter(drop(caExts(ik, rk), OID.bc)), root()])
  add('ca', 'intermediate basicConstraints not critical (strict)', [
    leaf(),
    inter(swap(caExts(ik, rk), ext.bc(true, undefined, false))),
    root(),
  ])
  add('ca', 'anchor CA by keyUsage only (strict)', [leaf(), inter(), root(drop(caExts(rk, rk), OID.bc))])
  add('ca', 'v1 root as anchor (strict)', [leaf(), inter(), root([], { version: 1 })])
  add('ca', 'intermediate keyUsage without keyCertSign', [
    leaf(),
    inter(swap(caExts(ik, rk), ext.ku(['cRLSign', 'digitalSignature']))),
    root(),
  ])
  add('ca', 'anchor keyUsage without keyCertSign', [leaf(), inter(), root(swap(caExts(rk, rk), ext.ku(['cRLSign'])))])
  add('ca', 'intermediate without keyUsage (strict)', [leaf(), inter(drop(caExts(ik, rk), OID.ku)), root()])
  add('pathlen', 'root pathlen 0 above an intermediate', [leaf(), inter(), root(swap(caExts(rk, rk), ext.bc(true, 0)))])
  add('pathlen', 'intermediate pathlen 0 above the leaf', [leaf(), inter(swap(caExts(ik, rk), ext.bc(true, 0))), root()])
  add('pathlen', 'pathlen on a leaf (strict)', [leaf(swap(L, ext.bc(false, 0))), inter(), root()])
  // What strict mode adds (Python 3.13)
  add('strict', 'leaf without AKI', [leaf(drop(L, OID.aki)), inter(), root()])
  add('strict', 'intermediate without SKI', [leaf(drop(L, OID.aki)), inter(drop(caExts(ik, rk), OID.ski)), root()])
  add('strict', 'AKI marked critical', [leaf(swap(L, { ...ext.aki(ik), critical: true })), inter(), root()])
  add('strict', 'leaf with keyCertSign but not a CA', [leaf(swap(L, ext.ku(['digitalSignature', 'keyCertSign']))), inter(), root()])
  add('strict', 'empty subject, SAN not critical', [leaf(L, { subject: name() }), inter(), root()])
  add('strict', 'empty subject, SAN critical', [
    leaf(swap(L, ext.san([gn.dns('app.example.test')], true)), { subject: name() }),
    inter(),
    root(),
  ])
  add('strict', 'empty subjectAltName', [leaf(swap(L, ext.san([]))), inter(), root()])
  add('strict', 'anchor without SKI', [leaf(), inter(), root(drop(caExts(rk, rk), OID.ski))])
  // Critical extensions not processed (6.1.4 (o), 6.1.5 (e))
  const unknown = unknownCritical
  add('critical', 'unknown critical extension on the leaf', [leaf([...L, unknown]), inter(), root()])
  add('critical', 'unknown critical extension on the intermediate', [leaf(), inter([...caExts(ik, rk), unknown]), root()])
  add('critical', 'unknown critical extension on the anchor', [leaf(), inter(), root([...caExts(rk, rk), unknown])])
  add('critical', 'critical Authority Information Access', [leaf([...L, ext.aia('http://ca.example.test/ca.crt', true)]), inter(), root()])
  add('critical', 'critical SKI', [leaf(swap(L, { ...ext.ski(lk), critical: true })), inter(), root()])
  add('critical', 'critical certificatePolicies (processed)', [
    leaf([...L, ext.raw('2.5.29.32', seq(seq(oid('2.5.29.32.0'))), true)]),
    inter(),
    root(),
  ])
  add('critical', 'critical CRL distribution points (processed)', [
    leaf([...L, ext.raw('2.5.29.31', seq(seq(tlv(0xa0, tlv(0xa0, gn.uri('http://ca.example.test/c.crl'))))), true)]),
    inter(),
    root(),
  ])
  // Extension contents
  add('extensions', 'basicConstraints twice on the leaf', [leaf([...L, ext.bc(false)]), inter(), root()])
  add('extensions', 'unknown extension twice (not decoded)', [
    leaf([...L, ext.raw('1.3.6.1.4.1.55555.2', Buffer.from([5, 0])), ext.raw('1.3.6.1.4.1.55555.2', Buffer.from([5, 0]))]),
    inter(),
    root(),
  ])
  add('extensions', 'damaged keyUsage', [leaf(swap(L, ext.raw(OID.ku, Buffer.from([4, 1, 5]), true))), inter(), root()])
  add('extensions', 'damaged subjectAltName', [leaf(swap(L, ext.raw(OID.san, Buffer.from([0x30, 3, 0x82, 5, 0])))), inter(), root()])
  add('extensions', 'damaged nameConstraints', [leaf(), interNc(ext.raw('2.5.29.30', Buffer.from([0x30, 1, 5]), true)), root()])
  add('extensions', 'damaged AIA (not decoded)', [leaf([...L, ext.raw('1.3.6.1.5.5.7.1.1', Buffer.from([0x30, 1, 5]))]), inter(), root()])
  add('extensions', 'empty URI and "_" dNSName in the SAN', [withSans(gn.dns('a_b.example.test'), gn.uri('')), inter(), root()])
  // Name constraints (4.2.1.10, 6.1.3 (b)(c)): every form, match / mismatch / excluded / malformed / non-critical
  const dnsNc = (base: string, critical = true): Ext => ext.nc([gn.dns(base)], null, critical)
  add('nc-dns', 'permitted match', [withSans(gn.dns('a.example.test')), interNc(dnsNc('example.test')), root()])
  add('nc-dns', 'permitted match with leading dot', [withSans(gn.dns('a.example.test')), interNc(dnsNc('.example.test')), root()])
  add('nc-dns', 'permitted mismatch', [withSans(gn.dns('a.other.test')), interNc(dnsNc('example.test')), root()])
  add('nc-dns', 'suffix that is not a label boundary', [withSans(gn.dns('badexample.test')), interNc(dnsNc('example.test')), root()])
  add('nc-dns', 'excluded', [withSans(gn.dns('a.example.test')), interNc(ext.nc(null, [gn.dns('example.test')])), root()])
  add('nc-dns', 'malformed: wildcard constraint', [withSans(gn.dns('a.example.test')), interNc(dnsNc('*.example.test')), root()])
  add('nc-dns', 'non-critical, mismatch', [withSans(gn.dns('a.other.test')), interNc(dnsNc('example.test', false)), root()])
  add('nc-dns', 'non-critical, match', [withSans(gn.dns('a.example.test')), interNc(dnsNc('example.test', false)), root()])
  add('nc-dns', 'on the root, leaf mismatch', [withSans(gn.dns('a.other.test')), inter(), root([...caExts(rk, rk), dnsNc('example.test')])])
  add('nc-dns', 'CN read as host name, mismatch', [
    leaf(leafExts(lk, ik, []), { subject: cn('a.other.test') }),
    interNc(dnsNc('example.test')),
    root(),
  ])
  add('nc-dns', 'CN that is not a host name', [
    leaf(leafExts(lk, ik, []), { subject: cn('Alice Example') }),
    interNc(dnsNc('example.test')),
    root(),
  ])
  add('nc-dns', 'CN ignored when a dNSName SAN exists', [
    leaf(leafExts(lk, ik, [gn.dns('a.example.test')]), { subject: cn('a.other.test') }),
    interNc(dnsNc('example.test')),
    root(),
  ])
  add('nc-dns', 'empty NameConstraints', [withSans(gn.dns('a.example.test')), interNc(ext.nc(null, null)), root()])
  add('nc-dns', 'minimum set in a subtree', [
    withSans(gn.dns('a.example.test')),
    interNc(ext.raw('2.5.29.30', seq(tlv(0xa0, seq(gn.dns('example.test'), tlv(0x80, Buffer.from([1]))))), true)),
    root(),
  ])
  const ipNc = (addr: string, mask: string): Ext => ext.nc([gn.ipNet(addr, mask)])
  add('nc-ip', 'permitted match', [withSans(gn.ip('10.1.2.3')), interNc(ipNc('10.0.0.0', '255.0.0.0')), root()])
  add('nc-ip', 'permitted mismatch', [withSans(gn.ip('192.168.1.1')), interNc(ipNc('10.0.0.0', '255.0.0.0')), root()])
  add('nc-ip', 'excluded', [withSans(gn.ip('10.1.2.3')), interNc(ext.nc(null, [gn.ipNet('10.0.0.0', '255.0.0.0')])), root()])
  add('nc-ip', 'IPv6 permitted match', [withSans(gn.ip('2001:db8::5')), interNc(ipNc('2001:db8::', 'ffff:ffff::')), root()])
  add('nc-ip', 'IPv6 name against an IPv4 constraint', [withSans(gn.ip('2001:db8::5')), interNc(ipNc('10.0.0.0', '255.0.0.0')), root()])
  add('nc-ip', 'malformed: non-contiguous mask, outside', [withSans(gn.ip('10.1.2.3')), interNc(ipNc('10.0.0.0', '255.0.255.0')), root()])
  add('nc-ip', 'malformed: non-contiguous mask, inside', [withSans(gn.ip('10.1.0.3')), interNc(ipNc('10.0.0.0', '255.0.255.0')), root()])
  add('nc-ip', 'malformed: 5-octet constraint', [withSans(gn.ip('10.1.2.3')), interNc(ext.nc([gn.ipRaw([10, 0, 0, 0, 255])])), root()])
  add('nc-ip', 'IP constraint, DNS-only leaf', [withSans(gn.dns('a.example.test')), interNc(ipNc('10.0.0.0', '255.0.0.0')), root()])
  add('nc-ip', 'non-critical, mismatch', [
    withSans(gn.ip('192.168.1.1')),
    interNc(ext.nc([gn.ipNet('10.0.0.0', '255.0.0.0')], null, false)),
    root(),
  ])
  const mailNc = (base: string): Ext => ext.nc([gn.email(base)])
  add('nc-email', 'permitted domain match', [withSans(gn.email('bob@example.test')), interNc(mailNc('example.test')), root()])
  add('nc-email', 'permitted domain mismatch', [withSans(gn.email('bob@other.test')), interNc(mailNc('example.test')), root()])
  add('nc-email', 'permitted subdomain (.domain)', [withSans(gn.email('bob@mail.example.test')), interNc(mailNc('.example.test')), root()])
  add('nc-email', 'exact mailbox constraint, other mailbox', [
    withSans(gn.email('eve@example.test')),
    interNc(mailNc('bob@example.test')),
    root(),
  ])
  add('nc-email', 'excluded', [withSans(gn.email('bob@example.test')), interNc(ext.nc(null, [gn.email('example.test')])), root()])
  add('nc-email', 'emailAddress in the subject, mismatch', [
    leaf(L, { subject: name(['CN', 'bob'], ['E', 'bob@other.test']) }),
    interNc(mailNc('example.test')),
    root(),
  ])
  add('nc-email', 'malformed name: no "@"', [withSans(gn.email('bob')), interNc(mailNc('example.test')), root()])
  const uriNc = (base: string): Ext => ext.nc([gn.uri(base)])
  add('nc-uri', 'permitted host match', [
    withSans(gn.dns('app.example.test'), gn.uri('https://a.example.test/x')),
    interNc(uriNc('.example.test')),
    root(),
  ])
  add('nc-uri', 'permitted host mismatch', [
    withSans(gn.dns('app.example.test'), gn.uri('https://a.other.test/x')),
    interNc(uriNc('.example.test')),
    root(),
  ])
  add('nc-uri', 'exact host with a port', [withSans(gn.uri('https://example.test:8443/x')), interNc(uriNc('example.test')), root()])
  add('nc-uri', 'excluded', [withSans(gn.uri('https://a.example.test/')), interNc(ext.nc(null, [gn.uri('.example.test')])), root()])
  add('nc-uri', 'malformed name: URI without a host', [withSans(gn.uri('urn:example:thing')), interNc(uriNc('.example.test')), root()])
  const dirNc = (...attrs: [string, string][]): Ext => ext.nc([gn.dir(name(...attrs))])
  add('nc-dir', 'permitted match', [leaf(L, { subject: name(['O', 'Acme'], ['CN', 'leaf']) }), interNc(dirNc(['O', 'Acme'])), root()])
  add('nc-dir', 'permitted mismatch', [leaf(L, { subject: name(['O', 'Other'], ['CN', 'leaf']) }), interNc(dirNc(['O', 'Acme'])), root()])
  add('nc-dir', 'case and spaces differ', [
    leaf(L, { subject: name(['O', 'ACME  Corp'], ['CN', 'leaf']) }),
    interNc(dirNc(['O', 'acme corp'])),
    root(),
  ])
  add('nc-dir', 'excluded', [
    leaf(L, { subject: name(['O', 'Acme'], ['CN', 'leaf']) }),
    interNc(ext.nc(null, [gn.dir(name(['O', 'Acme']))])),
    root(),
  ])
  add('nc-dir', "root's constraint on the intermediate's subject", [leaf(), inter(), root([...caExts(rk, rk), dirNc(['O', 'Acme'])])])
  // Key rollover: the intermediate's new key certified by its old one (self-issued, not self-signed).
  const nk = newKey()
  const rollover = certificate({ subject: INTER, issuer: INTER, key: nk, signer: ik, exts: [...caExts(nk, ik)] })
  const underNew = (subject: Buffer): Uint8Array => certificate({ subject, issuer: INTER, key: lk, signer: nk, exts: leafExts(lk, nk) })
  const interAcme = inter([...caExts(ik, rk), dirNc(['O', 'Acme'])])
  add('nc-dir', 'self-issued intermediate is not constrained', [underNew(name(['O', 'Acme'], ['CN', 'leaf'])), rollover, interAcme, root()])
  add('nc-dir', 'leaf below a self-issued intermediate is', [underNew(name(['O', 'Other'], ['CN', 'leaf'])), rollover, interAcme, root()])
  add('ca', 'self-signed certificate inside the path', [
    leaf(),
    certificate({ subject: INTER, issuer: INTER, key: ik, signer: ik, exts: [...caExts(ik, ik), ext.aki(ik)] }),
    inter(),
    root(),
  ])
  // Policy constraints and inhibitAnyPolicy: MUST be critical, but verifiers do not reject them
  add('policy', 'policyConstraints not critical', [leaf(), inter([...caExts(ik, rk), ext.pc(0, null, false)]), root()])
  add('policy', 'policyConstraints critical', [leaf(), inter([...caExts(ik, rk), ext.pc(0, null, true)]), root()])
  add('policy', 'inhibitAnyPolicy not critical', [leaf(), inter([...caExts(ik, rk), ext.inhibitAnyPolicy(0, false)]), root()])
  // Purpose (EKU and keyUsage along the path)
  const clientOnly = swap(L, ext.eku([EKU_OID.clientAuth]))
  add('purpose', 'server purpose, serverAuth leaf', good(), { purpose: 'server' })
  add('purpose', 'client purpose, clientAuth leaf', good(), { purpose: 'client' })
  add('purpose', 'server purpose, clientAuth-only leaf', [leaf(clientOnly), inter(), root()], { purpose: 'server' })
  add('purpose', 'server purpose, anyExtendedKeyUsage-only leaf', [leaf(swap(L, ext.eku(['2.5.29.37.0']))), inter(), root()], {
    purpose: 'server',
  })
  add('purpose', 'server purpose, leaf without EKU', [leaf(drop(L, OID.eku)), inter(), root()], { purpose: 'server' })
  add(
    'purpose',
    'server purpose, intermediate EKU clientAuth only',
    [leaf(), inter([...caExts(ik, rk), ext.eku([EKU_OID.clientAuth])]), root()],
    {
      purpose: 'server',
    },
  )
  add(
    'purpose',
    'server purpose, anchor EKU clientAuth only',
    [leaf(), inter(), root([...caExts(rk, rk), ext.eku([EKU_OID.clientAuth])])],
    {
      purpose: 'server',
    },
  )
  add('purpose', 'client purpose, keyEncipherment-only leaf', [leaf(swap(L, ext.ku(['keyEncipherment']))), inter(), root()], {
    purpose: 'client',
  })
  add('purpose', 'server purpose, keyEncipherment-only leaf', [leaf(swap(L, ext.ku(['keyEncipherment']))), inter(), root()], {
    purpose: 'server',
  })
  add('purpose', 'server purpose, intermediate anchor', [leaf(), inter()], { purpose: 'server' })
  // Peer name (RFC 6125)
  const host = (h: string): Partial<Case> => ({ peer: { hostname: h } })
  add('peer', 'exact host', good(), host('app.example.test'))
  add('peer', 'other host', good(), host('api.example.test'))
  add('peer', 'host in other case', good(), host('APP.Example.Test'))
  add('peer', 'wildcard, one label', [withSans(gn.dns('*.example.test')), inter(), root()], host('app.example.test'))
  add('peer', 'wildcard, two labels', [withSans(gn.dns('*.example.test')), inter(), root()], host('a.b.example.test'))
  add('peer', 'wildcard, bare domain', [withSans(gn.dns('*.example.test')), inter(), root()], host('example.test'))
  add('peer', 'wildcard over a TLD', [withSans(gn.dns('*.test')), inter(), root()], host('example.test'))
  add(
    'peer',
    'CN when there is no dNSName SAN',
    [leaf(leafExts(lk, ik, []), { subject: cn('app.example.test') }), inter(), root()],
    host('app.example.test'),
  )
  add('peer', 'CN ignored beside a dNSName SAN', [leaf(L, { subject: cn('cn.example.test') }), inter(), root()], host('cn.example.test'))
  add('peer', 'IP address in the SAN', [withSans(gn.ip('10.1.2.3')), inter(), root()], { peer: { ip: '10.1.2.3' } })
  add('peer', 'other IP address', [withSans(gn.ip('10.1.2.3')), inter(), root()], { peer: { ip: '10.1.2.4' } })
  add('peer', 'IP against a DNS-only leaf', good(), { peer: { ip: '10.1.2.3' } })
  return out
}

function certdeskVerdict(c: Case): { passed: boolean; why: string[] } {
  const report = lintChain(c.chain, {
    profile: 'python-strict',
    anchors: [c.chain[c.chain.length - 1]!],
    now: new Date(c.at ?? T0),
    ...(c.purpose ? { purpose: c.purpose } : {}),
    ...(c.peer ? { peer: c.peer } : {}),
  })
  const why = [...report.certificates.flatMap((r) => r.report.findings), ...report.chainFindings]
    .filter((f) => f.severity === 'error')
    .map((f) => f.ruleId)
  return { passed: report.passed, why }
}

async function opensslVerdict(c: Case, n: number): Promise<{ passed: boolean; why: string }> {
  const pem = (ders: Uint8Array[]): string => ders.map(derToPem).join('')
  const anchor = dir.file(`${n}-anchor.pem`, pem([c.chain[c.chain.length - 1]!]))
  const leafFile = dir.file(`${n}-leaf.pem`, pem([c.chain[0]!]))
  const middle = c.chain.slice(1, -1)
  const args = ['verify', '-x509_strict', '-partial_chain', '-attime', String(Math.floor((c.at ?? T0) / 1000)), '-CAfile', anchor]
  if (middle.length) args.push('-untrusted', dir.file(`${n}-untrusted.pem`, pem(middle)))
  if (c.purpose) args.push('-purpose', c.purpose === 'server' ? 'sslserver' : 'sslclient')
  if (c.peer && 'hostname' in c.peer) args.push('-verify_hostname', c.peer.hostname)
  if (c.peer && 'ip' in c.peer) args.push('-verify_ip', c.peer.ip)
  args.push(leafFile)
  try {
    await run('openssl', args)
    return { passed: true, why: 'OK' }
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string }
    const why = `${e.stdout ?? ''}${e.stderr ?? ''}`
      .split('\n')
      .filter((l) => /^error \d+/.test(l))
      .join('; ')
    return { passed: false, why }
  }
}

async function pool<T, R>(items: T[], size: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length)
  let next = 0
  await Promise.all(
    Array.from({ length: size }, async () => {
      while (next < items.length) {
        const i = next++
        out[i] = await fn(items[i]!, i)
      }
    }),
  )
  return out
}

describe('python-strict agrees with OpenSSL strict verification', () => {
  const all = cases()

  it('covers each rule family and each name-constraint form', () => {
    const families = new Set(all.map((c) => c.family))
    for (const f of ['signature', 'validity', 'ca', 'pathlen', 'strict', 'critical', 'extensions', 'policy', 'purpose', 'peer'])
      expect(families).toContain(f)
    for (const form of ['nc-dns', 'nc-ip', 'nc-email', 'nc-uri', 'nc-dir']) expect(families).toContain(form)
    expect(all.length).toBeGreaterThan(100)
  })

  it('reaches the same verdict as `openssl verify -x509_strict -partial_chain` on every case', async () => {
    const referee = await pool(all, 4, opensslVerdict)
    const disagreements = all
      .map((c, i) => ({ c, mine: certdeskVerdict(c), theirs: referee[i]! }))
      .filter(({ mine, theirs }) => mine.passed !== theirs.passed)
      .map(
        ({ c, mine, theirs }) =>
          `${c.family} / ${c.name}: certdesk ${mine.passed ? 'PASS' : `FAIL (${mine.why.join(', ')})`}, ` +
          `openssl ${theirs.passed ? 'PASS' : `FAIL (${theirs.why})`}`,
      )
    expect(disagreements).toEqual([])
    // Both verdicts occur, so agreement is not agreement on "everything passes".
    expect(referee.filter((r) => r.passed).length).toBeGreaterThan(20)
    expect(referee.filter((r) => !r.passed).length).toBeGreaterThan(40)
  })

  it("reaches the same verdict as a TLS handshake in Python's ssl module (strict, partial chain, host name)", async () => {
    // Python checks "now" and, as a TLS client, the server purpose; the chains are made valid around now.
    const now = Date.now()
    const live = { notBefore: new Date(now - DAY), notAfter: new Date(now + 30 * DAY) }
    const r = root(caExts(rk, rk), live)
    const mk = (leafExtList: Ext[], interExtList: Ext[] = caExts(ik, rk), subject = cn('leaf')): Uint8Array[] => [
      leaf(leafExtList, { ...live, subject }),
      inter(interExtList, live),
      r,
    ]
    const py: { name: string; chain: Uint8Array[]; host: string }[] = [
      { name: 'good chain, exact host', chain: mk(L), host: 'app.example.test' },
      { name: 'good chain, other host', chain: mk(L), host: 'api.example.test' },
      { name: 'wildcard SAN', chain: mk(leafExts(lk, ik, [gn.dns('*.example.test')])), host: 'app.example.test' },
      { name: 'partial-label wildcard SAN (RFC 6125)', chain: mk(leafExts(lk, ik, [gn.dns('a*.example.test')])), host: 'app.example.test' },
      { name: 'CN without dNSName SAN', chain: mk(leafExts(lk, ik, []), caExts(ik, rk), cn('app.example.test')), host: 'app.example.test' },
      { name: 'name constraint violated', chain: mk(L, [...caExts(ik, rk), ext.nc([gn.dns('other.test')])]), host: 'app.example.test' },
      { name: 'name constraint met', chain: mk(L, [...caExts(ik, rk), ext.nc([gn.dns('example.test')])]), host: 'app.example.test' },
      {
        name: 'unknown critical extension on the intermediate',
        chain: mk(L, [...caExts(ik, rk), unknownCritical]),
        host: 'app.example.test',
      },
      { name: 'leaf without AKI (strict)', chain: mk(drop(L, OID.aki)), host: 'app.example.test' },
      { name: 'leaf for clients only', chain: mk(swap(L, ext.eku([EKU_OID.clientAuth]))), host: 'app.example.test' },
    ]
    const keyPem = lk.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string
    const input = py.map((c, i) => ({
      chain: dir.file(`py-${i}-chain.pem`, c.chain.slice(0, -1).map(derToPem).join('')),
      key: dir.file(`py-${i}-key.pem`, keyPem),
      anchor: dir.file(`py-${i}-anchor.pem`, derToPem(c.chain[c.chain.length - 1]!)),
      host: c.host,
    }))
    const { stdout } = await runPython(JSON.stringify(input))
    const results = JSON.parse(stdout) as string[]
    const disagreements = py
      .map((c, i) => {
        const report = lintChain(c.chain, {
          profile: 'python-strict',
          anchors: [c.chain[c.chain.length - 1]!],
          now: new Date(now),
          purpose: 'server',
          peer: { hostname: c.host },
        })
        return { c, mine: report.passed, theirs: results[i]! }
      })
      .filter(({ mine, theirs }) => mine !== (theirs === 'OK'))
      .map(({ c, mine, theirs }) => `${c.name}: certdesk ${mine ? 'PASS' : 'FAIL'}, python ${theirs}`)
    expect(disagreements).toEqual([])
    expect(results.filter((x) => x === 'OK').length).toBeGreaterThanOrEqual(4)
    expect(results.filter((x) => x !== 'OK').length).toBeGreaterThanOrEqual(5)
  })
})

const HANDSHAKE = `
import json, ssl, sys
out = []
for c in json.load(sys.stdin):
    server = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server.load_cert_chain(c['chain'], c['key'])
    client = ssl.create_default_context(cafile=c['anchor'])
    client.verify_flags |= ssl.VERIFY_X509_STRICT | ssl.VERIFY_X509_PARTIAL_CHAIN
    s_in, s_out, c_in, c_out = ssl.MemoryBIO(), ssl.MemoryBIO(), ssl.MemoryBIO(), ssl.MemoryBIO()
    s = server.wrap_bio(s_in, s_out, server_side=True)
    cl = client.wrap_bio(c_in, c_out, server_hostname=c['host'])
    result = 'incomplete'
    for _ in range(10):
        try:
            cl.do_handshake()
            result = 'OK'
        except ssl.SSLWantReadError:
            pass
        except ssl.SSLCertVerificationError as e:
            result = 'FAIL ' + e.verify_message
        except ssl.SSLError as e:
            result = 'FAIL ' + str(e)
        if result != 'incomplete':
            break
        s_in.write(c_out.read())
        try:
            s.do_handshake()
        except ssl.SSLError:
            pass
        c_in.write(s_out.read())
    out.append(result)
print(json.dumps(out))
`

function runPython(input: string): Promise<{ stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = execFile('python3', ['-c', HANDSHAKE], (error, stdout, stderr) =>
      error ? reject(new Error(`python3 failed: ${stderr}`)) : resolve({ stdout }),
    )
    child.stdin?.end(input)
  })
}
