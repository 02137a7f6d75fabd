/** Keys: damaged keys, RSA size, EC curves, explicit EC parameters. */
import { OID_EC_PUBLIC_KEY, OID_RSA } from '../der'
import { CURVES, keyAlgorithmName, SUPPORTED_CURVES } from '../oids'
import { keyCheck, OPENSSL_STRICT, type Rule } from '../rule'

export const keyRules: Rule[] = [
  {
    id: 'key.damaged',
    severity: 'error',
    source: 'RFC 5280 4.1.2.7; RFC 3279 2.3',
    title: 'The public key does not decode',
    fix:
      'Re-issue the certificate from a well-formed key (`openssl genpkey -algorithm EC -pkeyopt ' +
      'ec_paramgen_curve:P-256`, or `certdesk key new --type ec-p256`); nothing this key signs can be verified.',
    check: keyCheck((k) => (k.damaged ? `the ${keyAlgorithmName(k.algorithm)} public key is damaged: ${k.damaged}` : null)),
  },
  {
    id: 'key.rsa.too_small',
    severity: 'error',
    source: 'NIST SP 800-131A Rev. 2; CA/Browser Forum BR 6.1.5',
    title: 'RSA key shorter than 2048 bits',
    fix:
      'Generate a new key: `openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048` or `certdesk key ' +
      'new --type rsa-2048` (or ec-p256), then re-issue.',
    check: keyCheck((k) =>
      k.algorithm === OID_RSA && k.bits !== null && k.bits < 2048
        ? `RSA key is ${k.bits} bits; 2048 is the minimum anyone still accepts`
        : null,
    ),
  },
  {
    id: 'key.ec.unsupported_curve',
    severity: 'error',
    source: 'RFC 8422 5.1.1; CA/Browser Forum BR 6.1.5',
    title: 'EC key on a curve TLS stacks do not accept',
    fix:
      'Generate a P-256 or P-384 key: `openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256` or ' +
      '`certdesk key new --type ec-p256`.',
    check: keyCheck((k) => {
      if (k.algorithm !== OID_EC_PUBLIC_KEY || k.explicitCurve) return null
      if (k.curve === null) return 'EC key without a named curve'
      return SUPPORTED_CURVES.has(k.curve)
        ? null
        : `EC key on ${CURVES[k.curve] ?? k.curve}; only P-256, P-384 and P-521 are broadly accepted`
    }),
  },
  {
    id: 'key.ec.explicit_parameters',
    severity: 'error',
    source: `RFC 5480 2.1.1; ${OPENSSL_STRICT} X509_V_ERR_EC_KEY_EXPLICIT_PARAMS`,
    title: 'EC key with explicit curve parameters',
    fix:
      'Generate the key with a named curve (`openssl ecparam -name prime256v1 -genkey -param_enc ' +
      'named_curve`, or `certdesk key new --type ec-p256`).',
    check: keyCheck((k) =>
      k.explicitCurve ? 'the EC public key spells out its curve parameters instead of naming the curve (the CVE-2020-0601 pattern)' : null,
    ),
  },
  {
    id: 'key.algorithm.uncommon',
    severity: 'notice',
    source: 'Interoperability',
    title: 'Public key algorithm other than RSA or ECDSA',
    fix: 'For the widest support use `certdesk key new --type rsa-2048` or `--type ec-p256`.',
    check: keyCheck(({ algorithm }) =>
      algorithm === OID_RSA || algorithm === OID_EC_PUBLIC_KEY
        ? null
        : `public key algorithm is ${keyAlgorithmName(algorithm)}; many TLS stacks and Cloudflare accept only RSA and ECDSA`,
    ),
  },
]
