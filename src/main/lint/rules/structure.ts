/** Structure: version, extensions, signature algorithm, serial number, validity encoding (RFC 5280 4.1). */
import { bytesEqual, toHex } from '../der'
import { OPENSSL_SUPPORTED_EXTENSIONS } from '../extensions'
import { oidName } from '../oids'
import { RFC, type Rule } from '../rule'

const GENERALIZED_FROM = 2050

export const structureRules: Rule[] = [
  {
    id: 'cert.version.extensions_require_v3',
    severity: 'error',
    source: `${RFC('4.1.2.1')}; OpenSSL X509_V_ERR_EXTENSIONS_REQUIRE_VERSION_3`,
    title: 'Extensions present on a v1/v2 certificate',
    fix:
      'Re-issue as v3: openssl adds extensions only with `-extfile FILE -extensions SECTION` (x509/ca) or ' +
      '`-addext`, which makes it v3; `certdesk ca sign` always issues v3.',
    check: ({ cert }) =>
      cert.version < 3 && (cert.extensions?.length ?? 0) > 0
        ? `version ${cert.version} certificate carries ${cert.extensions!.length} extension(s); extensions require version 3`
        : null,
  },
  {
    id: 'cert.version.v1',
    severity: 'warning',
    source: RFC('4.1.2.1'),
    title: 'Version 1 certificate',
    fix: 'Re-issue as v3 with extensions (`openssl req -x509 -addext "basicConstraints=critical,CA:TRUE"` or `certdesk ca new`).',
    check: ({ cert }) =>
      cert.version === 1 ? 'this is a version 1 certificate: it cannot carry basicConstraints, keyUsage or key identifiers' : null,
  },
  {
    id: 'cert.extensions.duplicate',
    severity: 'error',
    source: RFC('4.2'),
    title: 'An extension appears more than once',
    fix:
      'Remove the repeated entry from the openssl extension section (each of basicConstraints, keyUsage, ' +
      'subjectAltName… once), then re-issue.',
    check: ({ duplicates }) =>
      duplicates.length ? `repeated extension(s): ${[...new Set(duplicates)].map((o) => `${oidName(o)} (${o})`).join(', ')}` : null,
  },
  {
    id: 'cert.extensions.malformed',
    severity: 'error',
    source: RFC('4.2.1'),
    title: 'An extension value does not decode',
    fix:
      'Re-issue the certificate from a corrected openssl extension section; verifiers reject certificates ' +
      'whose extensions fail to decode.',
    check: ({ malformed }) => (malformed.length ? malformed.join('; ') : null),
  },
  {
    id: 'cert.extensions.unknown_critical',
    severity: 'error',
    source: `${RFC('4.2, 6.1.4 (o), 6.1.5 (e)')}; OpenSSL X509_V_ERR_UNHANDLED_CRITICAL_EXTENSION`,
    title: 'Critical extension that verifiers do not process',
    fix: 'Mark the extension non-critical in the openssl config (drop `critical,` from its line) or remove it, then re-issue.',
    check: ({ cert }) => {
      const unknown = (cert.extensions ?? []).filter((e) => e.critical && !OPENSSL_SUPPORTED_EXTENSIONS.has(e.oid))
      return unknown.length
        ? `critical extension(s) OpenSSL does not support: ${unknown.map((e) => `${oidName(e.oid)} (${e.oid})`).join(', ')}; ` +
            'verification fails with "unsupported certificate extension"'
        : null
    },
  },
  {
    id: 'cert.signature_algorithm.mismatch',
    severity: 'error',
    source: `${RFC('4.1.1.2')}; OpenSSL X509_V_ERR_SIGNATURE_ALGORITHM_INCONSISTENCY`,
    title: 'Outer signature algorithm differs from the one in tbsCertificate',
    fix:
      'Re-sign with a standard tool (`openssl x509 -req … -sha256` or `certdesk ca sign`); this only ' +
      'happens with hand-built or tampered certificates.',
    check: ({ cert }) => {
      const a = cert.innerSignature.raw
      const b = cert.outerSignature.raw
      if (bytesEqual(a, b)) return null
      return (
        `tbsCertificate says ${oidName(cert.innerSignature.oid)} (${toHex(a)}) but the certificate is signed ` +
        `with ${oidName(cert.outerSignature.oid)} (${toHex(b)})`
      )
    },
  },
  {
    id: 'cert.serial.negative',
    severity: 'error',
    source: RFC('4.1.2.2'),
    title: 'Negative serial number',
    fix:
      'Re-issue with a positive serial: `openssl x509 -req … -set_serial 0x$(openssl rand -hex 16)` with ' +
      'the top bit clear, or let `certdesk ca sign` pick one.',
    check: ({ cert }) => ((cert.serial[0]! & 0x80) !== 0 ? `serial number 0x${toHex(cert.serial)} is negative in two's complement` : null),
  },
  {
    id: 'cert.serial.zero',
    severity: 'error',
    anchorSeverity: 'warning',
    source: RFC('4.1.2.2'),
    title: 'Serial number is zero',
    fix: 'Re-issue with a random positive serial: `openssl … -set_serial 0x$(openssl rand -hex 16)` or `certdesk ca sign`.',
    check: ({ cert }) => (cert.serial.every((b) => b === 0) ? 'serial number is 0; it must be a positive integer' : null),
  },
  {
    id: 'cert.serial.too_long',
    severity: 'error',
    source: RFC('4.1.2.2'),
    title: 'Serial number longer than 20 octets',
    fix:
      'Re-issue with at most 20 octets: `-set_serial 0x` followed by at most 40 hex digits with the top ' +
      'bit clear (`openssl rand -hex 16` gives a safe value).',
    check: ({ cert }) =>
      cert.serial.length > 20
        ? `serial number is ${cert.serial.length} octets long; conforming software need not handle more than 20`
        : null,
  },
  {
    id: 'cert.validity.time_encoding',
    severity: 'error',
    source: RFC('4.1.2.5'),
    title: 'Validity time in the wrong ASN.1 type or form',
    fix:
      'Dates through 2049 must be UTCTime and from 2050 GeneralizedTime, as YYMMDDHHMMSSZ / ' +
      'YYYYMMDDHHMMSSZ; openssl (`-days N`, `-not_after`) and `certdesk` do this automatically — re-issue ' +
      'with them.',
    check: ({ cert }) => {
      const problems: string[] = []
      for (const [label, t] of [
        ['notBefore', cert.notBefore],
        ['notAfter', cert.notAfter],
      ] as const) {
        if (t.year < GENERALIZED_FROM && t.kind === 'generalized')
          problems.push(`${label} (${t.year}) uses GeneralizedTime; years before 2050 must be UTCTime`)
        if (t.year >= GENERALIZED_FROM && t.kind === 'utc')
          problems.push(`${label} (${t.year}) uses UTCTime; from 2050 it must be GeneralizedTime`)
        if (!t.canonical) problems.push(`${label} is not in the DER form ${t.kind === 'utc' ? 'YYMMDDHHMMSSZ' : 'YYYYMMDDHHMMSSZ'}`)
      }
      return problems.length ? problems.join('; ') : null
    },
  },
  {
    id: 'cert.validity.inverted',
    severity: 'error',
    source: RFC('4.1.2.5'),
    title: 'notBefore is after notAfter',
    fix: 'Re-issue with a positive lifetime (`openssl … -days N` or `certdesk ca sign --days N`).',
    check: ({ cert }) =>
      cert.notBefore.ms > cert.notAfter.ms
        ? `notBefore ${new Date(cert.notBefore.ms).toISOString()} is after notAfter ${new Date(cert.notAfter.ms).toISOString()}`
        : null,
  },
]
