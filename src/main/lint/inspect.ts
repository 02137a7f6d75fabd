/**
 * The certificate inspector behind the detail view: every field and common extension decoded into
 * readable form. The lean reader validates first (so garbage gets the same specific error as lint);
 * @peculiar/x509 then supplies the rich extension objects.
 */
import 'reflect-metadata'
import { createHash } from 'node:crypto'
import * as x509 from '@peculiar/x509'
import { AsnConvert } from '@peculiar/asn1-schema'
import { type GeneralName as AsnGeneralName, NameConstraints } from '@peculiar/asn1-x509'
import { AppError } from '../../shared/errors'
import { wrapPem } from '../../shared/pem'
import type { CertificateDetails, ExtensionView, GeneralNameView } from '../../shared/lint-model'
import { buildContext } from './context'
import { toHex } from './der'
import { decodeName } from './dn'
import { parseOrThrow } from './engine'
import { EXT, KU } from './extensions'
import { CURVES, EKU_NAMES, EXTENSION_NAMES, KEY_ALGORITHMS, SIGNATURE_ALGORITHMS } from './oids'
import { fingerprintForms } from '../certs/fingerprint'

const KEY_USAGE_NAMES: [number, string][] = Object.entries(KU).map(([name, bit]) => [bit, name])
const GENERAL_NAME_TYPES: Record<string, GeneralNameView['type']> = {
  dns: 'dns',
  ip: 'ip',
  email: 'email',
  url: 'url',
  dn: 'dn',
  upn: 'upn',
  guid: 'guid',
}

function generalNames(names: x509.GeneralNames | undefined): GeneralNameView[] {
  return (names?.items ?? []).map((n) => ({ type: GENERAL_NAME_TYPES[n.type] ?? 'other', value: n.value }))
}

const gnText = (n: x509.GeneralName): string => `${n.type.toUpperCase()}:${n.value}`

function asnGeneralName(n: AsnGeneralName): string {
  if (n.dNSName !== undefined) return `DNS:${n.dNSName}`
  if (n.rfc822Name !== undefined) return `email:${n.rfc822Name}`
  if (n.uniformResourceIdentifier !== undefined) return `URI:${n.uniformResourceIdentifier}`
  if (n.iPAddress !== undefined) return `IP:${n.iPAddress}`
  if (n.directoryName !== undefined) return `DirName:${decodeName(new Uint8Array(AsnConvert.serialize(n.directoryName))).text}`
  return 'other name'
}

function describeNameConstraints(value: ArrayBuffer): string[] {
  const nc = AsnConvert.parse(value, NameConstraints)
  return [
    ...(nc.permittedSubtrees ?? []).map((s) => `Permitted: ${asnGeneralName(s.base)}`),
    ...(nc.excludedSubtrees ?? []).map((s) => `Excluded: ${asnGeneralName(s.base)}`),
  ]
}

function summarise(ext: x509.Extension): string[] {
  if (ext instanceof x509.BasicConstraintsExtension)
    return [`CA:${ext.ca ? 'TRUE' : 'FALSE'}`, ...(ext.pathLength === undefined ? [] : [`pathlen:${ext.pathLength}`])]
  if (ext instanceof x509.KeyUsagesExtension)
    return KEY_USAGE_NAMES.filter(([bit]) => (ext.usages & (1 << bit)) !== 0).map(([, name]) => name)
  if (ext instanceof x509.ExtendedKeyUsageExtension) return ext.usages.map((u) => EKU_NAMES[String(u)] ?? String(u))
  if (ext instanceof x509.SubjectKeyIdentifierExtension) return [ext.keyId]
  if (ext instanceof x509.AuthorityKeyIdentifierExtension) {
    return [...(ext.keyId ? [`keyid:${ext.keyId}`] : []), ...(ext.certId ? [`serial:${ext.certId.serialNumber}`] : [])]
  }
  if (ext instanceof x509.SubjectAlternativeNameExtension || ext instanceof x509.IssuerAlternativeNameExtension)
    return ext.names.items.map(gnText)
  if (ext instanceof x509.CRLDistributionPointsExtension) {
    return ext.distributionPoints.flatMap((dp) => (dp.distributionPoint?.fullName ?? []).map((n) => asnGeneralName(n)))
  }
  if (ext instanceof x509.AuthorityInfoAccessExtension) {
    return [
      ...ext.ocsp.map((n) => `OCSP - ${gnText(n)}`),
      ...ext.caIssuers.map((n) => `CA Issuers - ${gnText(n)}`),
      ...ext.caRepository.map((n) => `CA Repository - ${gnText(n)}`),
    ]
  }
  if (ext instanceof x509.CertificatePolicyExtension) return ext.policies.map((p) => `Policy: ${p === '2.5.29.32.0' ? 'anyPolicy' : p}`)
  if (ext.type === EXT.nameConstraints) return describeNameConstraints(ext.value)
  return []
}

const KNOWN = new Set<string>([
  EXT.basicConstraints,
  EXT.keyUsage,
  EXT.extKeyUsage,
  EXT.subjectKeyIdentifier,
  EXT.authorityKeyIdentifier,
  EXT.subjectAltName,
  EXT.issuerAltName,
  EXT.crlDistributionPoints,
  EXT.authorityInfoAccess,
  EXT.certificatePolicies,
  EXT.nameConstraints,
])

function extensionView(ext: x509.Extension): ExtensionView {
  const view: ExtensionView = {
    oid: ext.type,
    name: EXTENSION_NAMES[ext.type] ?? ext.type,
    critical: ext.critical,
    summary: [],
    valueHex: toHex(new Uint8Array(ext.value)),
    known: KNOWN.has(ext.type),
  }
  try {
    view.summary = summarise(ext)
  } catch (error) {
    view.error = `could not decode: ${(error as Error).message}`
  }
  return view
}

function toPem(der: Uint8Array): string {
  return wrapPem(Buffer.from(der).toString('base64'), 'CERTIFICATE')
}

/** Decodes one DER certificate for display. Throws AppError('bad_input') for malformed input. */
export function inspectCertificate(der: Uint8Array): CertificateDetails {
  const parsed = parseOrThrow(der)
  const ctx = buildContext(parsed, { now: Date.now(), expiringDays: 30, expectCa: false })
  let cert: x509.X509Certificate
  try {
    // A fresh ArrayBuffer-backed copy: the constructor's BufferSource overload wants exactly that. Every
    // ASN.1 node takes at least two bytes, so a node budget of the input's length never refuses a real
    // certificate (asn1js's default of 10,000 refuses a leaf with 2,048 DNS SANs) and still bounds the work.
    cert = new x509.X509Certificate(new Uint8Array(der).buffer, { berOptions: { maxNodes: Math.max(10_000, der.length) } })
  } catch (error) {
    throw new AppError(
      'bad_input',
      `The certificate's structure is readable but its contents do not decode: ${(error as Error).message}.`,
      {
        hint: 'Run `certdesk lint FILE` to see which field is malformed.',
        cause: error,
      },
    )
  }
  let extensions: ExtensionView[]
  try {
    extensions = cert.extensions.map(extensionView)
  } catch {
    // A malformed extension that the typed factory rejects: show the raw list from the lean reader.
    extensions = (parsed.extensions ?? []).map((e) => ({
      oid: e.oid,
      name: EXTENSION_NAMES[e.oid] ?? e.oid,
      critical: e.critical,
      summary: [],
      valueHex: toHex(e.value),
      known: false,
      error: 'could not decode',
    }))
  }
  const san = cert.getExtension(x509.SubjectAlternativeNameExtension)
  const sigAlg = SIGNATURE_ALGORITHMS[parsed.outerSignature.oid]
  const key = parsed.publicKey
  return {
    version: parsed.version,
    serialNumberHex: toHex(parsed.serial),
    subject: decodeName(parsed.subjectRaw),
    issuer: decodeName(parsed.issuerRaw),
    notBefore: new Date(parsed.notBefore.ms).toISOString(),
    notAfter: new Date(parsed.notAfter.ms).toISOString(),
    selfSigned: ctx.selfSigned,
    isCa: ctx.isCa,
    signatureAlgorithm: { oid: parsed.outerSignature.oid, name: sigAlg?.name ?? parsed.outerSignature.oid },
    publicKey: {
      algorithm: KEY_ALGORITHMS[key.algorithm] ?? key.algorithm,
      algorithmOid: key.algorithm,
      bits: key.bits,
      curve: key.curve ? (CURVES[key.curve] ?? key.curve) : null,
      spkiSha256: createHash('sha256').update(key.raw).digest('hex'),
    },
    subjectAltNames: san ? generalNames(san.names) : [],
    keyUsage: ctx.keyUsage === null ? null : KEY_USAGE_NAMES.filter(([bit]) => (ctx.keyUsage! & (1 << bit)) !== 0).map(([, name]) => name),
    extendedKeyUsage: ctx.eku === null ? null : ctx.eku.map((oid) => ({ oid, name: EKU_NAMES[oid] ?? oid })),
    basicConstraints: ctx.bc ? { ca: ctx.bc.ca, pathLength: ctx.bc.pathLen, critical: ctx.bc.critical } : null,
    subjectKeyIdentifier: ctx.ski ? toHex(ctx.ski) : null,
    authorityKeyIdentifier: ctx.aki?.keyId ? toHex(ctx.aki.keyId) : null,
    extensions,
    fingerprints: fingerprintForms(der),
    pem: toPem(der),
  }
}
