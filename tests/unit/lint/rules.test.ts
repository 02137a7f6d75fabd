// Every certificate rule against a passing and a failing certificate made by openssl from config
// files (a few shapes openssl refuses to emit are edited and re-signed, see forge.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Extension, Time, Version } from '@peculiar/asn1-x509'
import { OctetString } from '@peculiar/asn1-schema'
import { lintCertificate, listRules, type LintCertificateOptions } from '../../../src/main/lint'
import { ALL_CERT_RULES } from '../../../src/main/lint/rules'
import { OPENSSL_VERIFY_RULE_IDS, PYTHON_STRICT_RULE_IDS } from '../../../src/main/lint/profiles'
import type { LintProfileId } from '../../../src/shared/lint-model'
import { CA_EXT, CLIENT_EXT, Forge, SERVER_EXT, type Issued } from '../../support/forge'

const forge = new Forge()
const fx: Record<string, Issued> = {}
const DAY = 86_400_000

const without = (lines: string[], prefix: string): string[] => lines.filter((l) => !l.startsWith(prefix))
const replace = (lines: string[], prefix: string, line: string): string[] => [...without(lines, prefix), line]

beforeAll(() => {
  const root = (fx.root = forge.issue({ name: 'root', ext: without(CA_EXT, 'authorityKeyIdentifier') }))
  fx.rootRsa = forge.issue({ name: 'root-rsa', key: 'rsa2048', ext: without(CA_EXT, 'authorityKeyIdentifier') })
  const inter = (fx.inter = forge.issue({ name: 'inter', ext: CA_EXT, issuer: root }))
  fx.client = forge.issue({ name: 'client', ext: CLIENT_EXT, issuer: inter })
  fx.server = forge.issue({ name: 'server', ext: SERVER_EXT, issuer: inter })
  const rootCa = (name: string, ext: string[], extra: Partial<Parameters<Forge['issue']>[0]> = {}): Issued =>
    (fx[name] = forge.issue({ name, ext, ...extra }))
  const selfCa = without(CA_EXT, 'authorityKeyIdentifier')
  rootCa('caBcNotCritical', replace(selfCa, 'basicConstraints', 'basicConstraints=CA:TRUE'))
  rootCa('caNoBc', without(selfCa, 'basicConstraints'))
  rootCa('caBcFalse', replace(selfCa, 'basicConstraints', 'basicConstraints=critical,CA:FALSE'))
  rootCa('caNoKu', without(selfCa, 'keyUsage'))
  rootCa('caKuNotCritical', replace(selfCa, 'keyUsage', 'keyUsage=keyCertSign,cRLSign'))
  rootCa('caKuNoCertSign', replace(selfCa, 'keyUsage', 'keyUsage=critical,cRLSign,digitalSignature'))
  rootCa('caKuNoCrlSign', replace(selfCa, 'keyUsage', 'keyUsage=critical,keyCertSign'))
  rootCa('pathLenNoCertSign', [
    ...replace(replace(selfCa, 'keyUsage', 'keyUsage=critical,cRLSign'), 'basicConstraints', 'basicConstraints=critical,CA:TRUE,pathlen:0'),
  ])
  rootCa('negativePathLen', replace(selfCa, 'basicConstraints', '2.5.29.19=critical,DER:30060101ff0201ff'))
  rootCa('caNoSki', replace(selfCa, 'subjectKeyIdentifier', 'subjectKeyIdentifier=none'))
  rootCa('skiCritical', replace(selfCa, 'subjectKeyIdentifier', 'subjectKeyIdentifier=critical,hash'))
  rootCa('ncGood', [...selfCa, 'nameConstraints=critical,permitted;DNS:.example.com'])
  rootCa('ncNotCritical', [...selfCa, 'nameConstraints=permitted;DNS:.example.com'])
  rootCa('ncEmpty', [...selfCa, '2.5.29.30=critical,DER:3000'])
  rootCa('kuMalformed', replace(selfCa, 'keyUsage', '2.5.29.15=critical,DER:0500'))
  rootCa('unknownCritical', [...selfCa, '1.3.6.1.4.1.55555.1=critical,DER:0500'])
  rootCa('v1', undefined as unknown as string[])
  rootCa('emptyRoot', selfCa, { subj: '/' })
  rootCa('ed25519Root', selfCa, { key: 'ed25519' })
  rootCa('serialNegative', selfCa, { serial: '-5' })
  rootCa('serialZero', selfCa, { serial: '0' })
  rootCa('serialLong', selfCa, { serial: `0x7f${'00'.repeat(20)}` })
  rootCa('serialMax', selfCa, { serial: `0x7f${'00'.repeat(19)}` })
  rootCa('inverted', selfCa, { days: -1 })
  rootCa('short', selfCa, { days: 10 })

  const leaf = (name: string, ext: string[] | undefined, extra: Partial<Parameters<Forge['issue']>[0]> = {}): Issued =>
    (fx[name] = forge.issue({ name, ext: ext as string[], issuer: inter, ...extra }))
  leaf('leafKeyCertSign', replace(CLIENT_EXT, 'keyUsage', 'keyUsage=critical,digitalSignature,keyCertSign'))
  leaf('pathLenNoCa', replace(CLIENT_EXT, 'basicConstraints', 'basicConstraints=critical,CA:FALSE,pathlen:0'))
  leaf('noAki', without(CLIENT_EXT, 'authorityKeyIdentifier'))
  leaf('akiNoKeyId', replace(CLIENT_EXT, 'authorityKeyIdentifier', 'authorityKeyIdentifier=issuer:always'))
  leaf('akiCritical', replace(CLIENT_EXT, 'authorityKeyIdentifier', 'authorityKeyIdentifier=critical,keyid:always'))
  leaf('leafNc', [...CLIENT_EXT, 'nameConstraints=critical,permitted;DNS:.example.com'])
  leaf('emptySubjectNoSan', CLIENT_EXT, { subj: '/' })
  leaf('emptySubjectSan', [...CLIENT_EXT, 'subjectAltName=email:a@example.com'], { subj: '/' })
  leaf('emptySubjectCriticalSan', [...CLIENT_EXT, 'subjectAltName=critical,email:a@example.com'], { subj: '/' })
  leaf('emptySan', [...CLIENT_EXT, '2.5.29.17=DER:3000'])
  leaf('clientServerEku', replace(CLIENT_EXT, 'extendedKeyUsage', 'extendedKeyUsage=serverAuth'))
  leaf('clientNoDigSig', replace(CLIENT_EXT, 'keyUsage', 'keyUsage=critical,keyEncipherment'))
  leaf('clientCa', replace(CLIENT_EXT, 'basicConstraints', 'basicConstraints=critical,CA:TRUE'))
  leaf('serverNoSan', without(SERVER_EXT, 'subjectAltName'))
  leaf('serverClientEku', replace(SERVER_EXT, 'extendedKeyUsage', 'extendedKeyUsage=clientAuth'))
  leaf('serverNoEku', without(SERVER_EXT, 'extendedKeyUsage'))
  leaf('serverCa', replace(SERVER_EXT, 'basicConstraints', 'basicConstraints=critical,CA:TRUE'))
  leaf('rsa1024', CLIENT_EXT, { key: 'rsa1024' })
  leaf('rsa2048', CLIENT_EXT, { key: 'rsa2048' })
  leaf('secp256k1', CLIENT_EXT, { key: 'secp256k1' })
  leaf('ecExplicit', CLIENT_EXT, { key: 'ec-explicit' })
  leaf('sha1', CLIENT_EXT, { md: 'sha1' })
  leaf('md5', CLIENT_EXT, { md: 'md5', issuer: fx.rootRsa })
  leaf('longLived', CLIENT_EXT, { days: 1000 })
  leaf('sanUnderscore', [...CLIENT_EXT, 'subjectAltName=DNS:a_b.example.com'])
  // An empty URI (IA5String of length 0) beside a good dNSName.
  leaf('sanEmptyUri', [...CLIENT_EXT, '2.5.29.17=DER:3011820d612e6578616d706c652e636f6d8600'])
  rootCa('pcCritical', [...selfCa, 'policyConstraints=critical,requireExplicitPolicy:0'])
  rootCa('pcNotCritical', [...selfCa, 'policyConstraints=requireExplicitPolicy:0'])
  rootCa('iapCritical', [...selfCa, 'inhibitAnyPolicy=critical,0'])
  rootCa('iapNotCritical', [...selfCa, 'inhibitAnyPolicy=0'])

  // Shapes openssl will not emit: edited from openssl output and re-signed with the issuer's key.
  fx.v1WithExt = forge.edit(fx.client, 'v1-with-ext', inter.key, (c) => {
    c.tbsCertificate.version = Version.v1
  })
  fx.sigMismatch = forge.edit(fx.client, 'sig-mismatch', inter.key, (c) => {
    c.tbsCertificate.signature.algorithm = '1.2.840.10045.4.3.3'
  })
  fx.generalizedBefore2050 = forge.edit(fx.client, 'generalized-2040', inter.key, (c) => {
    c.tbsCertificate.validity.notAfter = new Time({ generalTime: new Date(Date.UTC(2040, 0, 1)) })
  })
  fx.generalizedAfter2050 = forge.edit(fx.client, 'generalized-2051', inter.key, (c) => {
    c.tbsCertificate.validity.notAfter = new Time({ generalTime: new Date(Date.UTC(2051, 0, 1)) })
  })
  fx.duplicateExt = forge.edit(fx.client, 'duplicate-ext', inter.key, (c) => {
    const ext = c.tbsCertificate.extensions!
    ext.push(new Extension({ extnID: '2.5.29.15', critical: true, extnValue: new OctetString(new Uint8Array([0x03, 0x02, 0x07, 0x80])) }))
  })
  // A key whose BIT STRING holds no RSAPublicKey: the certificate still parses, the key does not.
  fx.damagedKey = forge.edit(fx.rsa2048!, 'damaged-key', inter.key, (c) => {
    c.tbsCertificate.subjectPublicKeyInfo.subjectPublicKey = new Uint8Array([0x04, 0x01, 0x00]).buffer
  })
}, 120_000)

afterAll(() => forge.cleanup())

interface Case {
  rule: string
  profile: LintProfileId
  good: string
  bad: string
  options?: Omit<LintCertificateOptions, 'profile'>
  /** Options for the bad certificate when they differ. */
  badOptions?: Omit<LintCertificateOptions, 'profile'>
}

const soon = (days: number): Date => new Date(Date.now() + days * DAY)

const CASES: Case[] = [
  // structure
  { rule: 'cert.version.extensions_require_v3', profile: 'client', good: 'client', bad: 'v1WithExt' },
  { rule: 'cert.version.v1', profile: 'root-ca', good: 'root', bad: 'v1' },
  { rule: 'cert.extensions.duplicate', profile: 'client', good: 'client', bad: 'duplicateExt' },
  { rule: 'cert.extensions.malformed', profile: 'root-ca', good: 'root', bad: 'kuMalformed' },
  { rule: 'cert.extensions.unknown_critical', profile: 'root-ca', good: 'ncGood', bad: 'unknownCritical' },
  { rule: 'cert.signature_algorithm.mismatch', profile: 'client', good: 'client', bad: 'sigMismatch' },
  { rule: 'cert.serial.negative', profile: 'root-ca', good: 'root', bad: 'serialNegative' },
  { rule: 'cert.serial.zero', profile: 'root-ca', good: 'root', bad: 'serialZero' },
  { rule: 'cert.serial.too_long', profile: 'root-ca', good: 'serialMax', bad: 'serialLong' },
  { rule: 'cert.validity.time_encoding', profile: 'client', good: 'generalizedAfter2050', bad: 'generalizedBefore2050' },
  { rule: 'cert.validity.inverted', profile: 'root-ca', good: 'root', bad: 'inverted' },
  // names
  { rule: 'cert.issuer.empty', profile: 'root-ca', good: 'root', bad: 'emptyRoot' },
  { rule: 'cert.subject.empty_on_ca', profile: 'root-ca', good: 'root', bad: 'emptyRoot' },
  { rule: 'cert.subject.empty_without_san', profile: 'client', good: 'emptySubjectCriticalSan', bad: 'emptySubjectNoSan' },
  { rule: 'cert.san.not_critical_with_empty_subject', profile: 'client', good: 'emptySubjectCriticalSan', bad: 'emptySubjectSan' },
  { rule: 'cert.san.empty', profile: 'client', good: 'emptySubjectCriticalSan', bad: 'emptySan' },
  // CA
  { rule: 'ca.basic_constraints.missing', profile: 'root-ca', good: 'root', bad: 'caNoBc' },
  { rule: 'ca.basic_constraints.not_ca', profile: 'root-ca', good: 'root', bad: 'caBcFalse' },
  { rule: 'ca.basic_constraints.not_critical', profile: 'root-ca', good: 'root', bad: 'caBcNotCritical' },
  { rule: 'ca.key_usage.missing', profile: 'root-ca', good: 'root', bad: 'caNoKu' },
  { rule: 'ca.key_usage.not_critical', profile: 'root-ca', good: 'root', bad: 'caKuNotCritical' },
  { rule: 'ca.key_usage.no_key_cert_sign', profile: 'root-ca', good: 'root', bad: 'caKuNoCertSign' },
  { rule: 'cert.key_usage.key_cert_sign_without_ca', profile: 'client', good: 'client', bad: 'leafKeyCertSign' },
  { rule: 'cert.basic_constraints.path_len_without_ca', profile: 'client', good: 'client', bad: 'pathLenNoCa' },
  { rule: 'cert.basic_constraints.path_len_without_key_cert_sign', profile: 'root-ca', good: 'root', bad: 'pathLenNoCertSign' },
  { rule: 'cert.basic_constraints.negative_path_len', profile: 'root-ca', good: 'root', bad: 'negativePathLen' },
  { rule: 'ca.ski.missing', profile: 'root-ca', good: 'root', bad: 'caNoSki' },
  { rule: 'cert.ski.critical', profile: 'root-ca', good: 'root', bad: 'skiCritical' },
  { rule: 'cert.aki.missing', profile: 'client', good: 'client', bad: 'noAki' },
  { rule: 'cert.aki.no_key_identifier', profile: 'client', good: 'client', bad: 'akiNoKeyId' },
  { rule: 'cert.aki.critical', profile: 'client', good: 'client', bad: 'akiCritical' },
  { rule: 'ca.name_constraints.malformed', profile: 'root-ca', good: 'ncGood', bad: 'ncEmpty' },
  { rule: 'ca.name_constraints.not_critical', profile: 'root-ca', good: 'ncGood', bad: 'ncNotCritical' },
  { rule: 'ca.name_constraints.on_non_ca', profile: 'client', good: 'client', bad: 'leafNc' },
  // leaf
  { rule: 'leaf.client.eku_missing_client_auth', profile: 'client', good: 'client', bad: 'clientServerEku' },
  { rule: 'leaf.client.no_digital_signature', profile: 'client', good: 'client', bad: 'clientNoDigSig' },
  { rule: 'leaf.client.is_ca', profile: 'client', good: 'client', bad: 'clientCa' },
  { rule: 'leaf.server.san_missing', profile: 'server', good: 'server', bad: 'serverNoSan' },
  { rule: 'leaf.server.eku_missing_server_auth', profile: 'server', good: 'server', bad: 'serverClientEku' },
  { rule: 'leaf.server.eku_absent', profile: 'server', good: 'server', bad: 'serverNoEku' },
  { rule: 'leaf.server.is_ca', profile: 'server', good: 'server', bad: 'serverCa' },
  // keys and signatures
  { rule: 'key.rsa.too_small', profile: 'client', good: 'rsa2048', bad: 'rsa1024' },
  { rule: 'key.ec.unsupported_curve', profile: 'client', good: 'client', bad: 'secp256k1' },
  { rule: 'key.ec.explicit_parameters', profile: 'client', good: 'client', bad: 'ecExplicit' },
  { rule: 'key.algorithm.uncommon', profile: 'root-ca', good: 'root', bad: 'ed25519Root' },
  { rule: 'sig.sha1', profile: 'client', good: 'client', bad: 'sha1' },
  { rule: 'sig.md5', profile: 'client', good: 'client', bad: 'md5' },
  // time
  { rule: 'validity.expired', profile: 'client', good: 'client', bad: 'client', badOptions: { now: soon(400) } },
  { rule: 'validity.not_yet_valid', profile: 'client', good: 'client', bad: 'client', badOptions: { now: soon(-2) } },
  { rule: 'validity.expiring_soon', profile: 'root-ca', good: 'root', bad: 'short' },
  {
    rule: 'validity.expiring_soon',
    profile: 'root-ca',
    good: 'short',
    bad: 'short',
    options: { expiringDays: 5 },
    badOptions: { expiringDays: 11 },
  },
  { rule: 'validity.exceeds_issuer', profile: 'client', good: 'client', bad: 'longLived' },
  // Cloudflare
  { rule: 'cloudflare.not_ca', profile: 'cloudflare-upload', good: 'root', bad: 'client' },
  { rule: 'cloudflare.unsupported_algorithm', profile: 'cloudflare-upload', good: 'root', bad: 'ed25519Root' },
  { rule: 'gateway.key_usage.crl_sign_missing', profile: 'gateway-byopki', good: 'rootRsa', bad: 'caKuNoCrlSign' },
  { rule: 'gateway.key.rsa_size', profile: 'gateway-byopki', good: 'rootRsa', bad: 'root' },
  // role and strict
  { rule: 'profile.root.not_self_signed', profile: 'root-ca', good: 'root', bad: 'inter' },
  { rule: 'profile.intermediate.self_signed', profile: 'intermediate-ca', good: 'inter', bad: 'root' },
  { rule: 'strict.ca_without_basic_constraints', profile: 'python-strict', good: 'root', bad: 'caNoBc' },
  { rule: 'strict.ca_without_basic_constraints', profile: 'python-strict', good: 'root', bad: 'v1' },
  { rule: 'openssl.extension.invalid', profile: 'python-strict', good: 'root', bad: 'kuMalformed' },
  { rule: 'openssl.extension.invalid', profile: 'python-strict', good: 'client', bad: 'duplicateExt' },
  // issue #14: single-certificate rules that were missing
  { rule: 'cert.san.invalid_entry', profile: 'client', good: 'emptySubjectSan', bad: 'sanUnderscore' },
  { rule: 'cert.san.invalid_entry', profile: 'client', good: 'emptySubjectSan', bad: 'sanEmptyUri' },
  { rule: 'ca.policy_constraints.not_critical', profile: 'root-ca', good: 'pcCritical', bad: 'pcNotCritical' },
  { rule: 'ca.inhibit_any_policy.not_critical', profile: 'root-ca', good: 'iapCritical', bad: 'iapNotCritical' },
  { rule: 'key.damaged', profile: 'client', good: 'rsa2048', bad: 'damagedKey' },
]

function ruleIds(name: string, profile: LintProfileId, options: Omit<LintCertificateOptions, 'profile'> = {}): string[] {
  const cert = fx[name]
  if (!cert) throw new Error(`no fixture ${name}`)
  // Leaves are linted with their issuer so the issuer-relative rule runs.
  const issuer = name === 'md5' ? fx.rootRsa : cert.der === fx.root!.der ? undefined : fx.inter
  return lintCertificate(cert.der, { profile, ...(issuer && profile === 'client' ? { issuer: issuer.der } : {}), ...options }).findings.map(
    (f) => f.ruleId,
  )
}

describe('lint rules', () => {
  it.each(CASES.map((c) => [c.rule, c.good, c.bad, c] as const))('%s: %s passes, %s fails', (_rule, _good, _bad, c) => {
    expect(ruleIds(c.good, c.profile, c.options)).not.toContain(c.rule)
    expect(ruleIds(c.bad, c.profile, c.badOptions ?? c.options)).toContain(c.rule)
  })

  it('covers every certificate rule with a passing and a failing fixture', () => {
    const covered = new Set(CASES.map((c) => c.rule))
    expect(ALL_CERT_RULES.map((r) => r.id).filter((id) => !covered.has(id))).toEqual([])
  })

  it('gives every rule a unique id, a source, a title and a fix that names an option', () => {
    const rules = listRules()
    expect(new Set(rules.map((r) => r.id)).size).toBe(rules.length)
    for (const r of rules) {
      expect(r.id).toMatch(/^[a-z]+(\.[a-z0-9_]+)+$/)
      expect(r.source.length).toBeGreaterThan(3)
      expect(r.title.length).toBeGreaterThan(3)
      expect(r.fix).toMatch(/openssl|certdesk/)
    }
  })

  it('passes the well-made certificates under their profiles with no errors', () => {
    for (const [name, profile] of [
      ['root', 'root-ca'],
      ['inter', 'intermediate-ca'],
      ['client', 'client'],
      ['server', 'server'],
      ['root', 'cloudflare-upload'],
      ['rootRsa', 'gateway-byopki'],
      ['client', 'python-strict'],
      ['inter', 'python-strict'],
    ] as const) {
      const report = lintCertificate(fx[name]!.der, {
        profile,
        ...(name === 'client' || name === 'server' ? { issuer: fx.inter!.der } : {}),
      })
      expect(
        report.findings.filter((f) => f.severity === 'error'),
        `${name} as ${profile}`,
      ).toEqual([])
      expect(report.passed).toBe(true)
    }
  })

  it('auto picks the profile from the certificate', () => {
    expect(lintCertificate(fx.root!.der).profile).toBe('root-ca')
    expect(lintCertificate(fx.inter!.der).profile).toBe('intermediate-ca')
    expect(lintCertificate(fx.client!.der).profile).toBe('client')
    expect(lintCertificate(fx.server!.der).profile).toBe('server')
    expect(lintCertificate(fx.v1!.der).profile).toBe('root-ca')
    const report = lintCertificate(fx.clientServerEku!.der)
    expect(report.profile).toBe('server')
    expect(report.requestedProfile).toBe('auto')
    expect(report.reason).toMatch(/serverAuth/)
  })

  it('python-strict reports only what OpenSSL checks (strict-only rules by name), all as errors', () => {
    const strict = new Set<string>([...PYTHON_STRICT_RULE_IDS, ...OPENSSL_VERIFY_RULE_IDS])
    for (const name of Object.keys(fx)) {
      const report = lintCertificate(fx[name]!.der, { profile: 'python-strict' })
      for (const f of report.findings) {
        expect(strict.has(f.ruleId)).toBe(true)
        expect(f.severity).toBe('error')
      }
    }
    // Not checked by OpenSSL: serial numbers, time encodings, SHA-1, key sizes.
    for (const name of ['serialNegative', 'serialLong', 'generalizedBefore2050', 'sha1', 'rsa1024', 'caKuNotCritical']) {
      expect(lintCertificate(fx[name]!.der, { profile: 'python-strict' }).findings, name).toEqual([])
    }
  })

  it('counts findings by severity and fails only on errors', () => {
    const report = lintCertificate(fx.caKuNotCritical!.der, { profile: 'root-ca' })
    expect(report.counts).toEqual({ error: 0, warning: 1, notice: 0 })
    expect(report.passed).toBe(true)
    const bad = lintCertificate(fx.caBcNotCritical!.der, { profile: 'root-ca' })
    expect(bad.counts.error).toBe(1)
    expect(bad.passed).toBe(false)
    expect(bad.findings[0]).toMatchObject({
      ruleId: 'ca.basic_constraints.not_critical',
      severity: 'error',
      source: expect.stringContaining('4.2.1.9'),
      fix: expect.stringContaining('basicConstraints = critical, CA:TRUE'),
    })
  })
})
