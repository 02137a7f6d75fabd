/** Cloudflare upload prerequisites on top of RFC 5280 (Cloudflare docs: Deploy custom certificate, for Gateway BYOPKI). */
import { OID_EC_PUBLIC_KEY, OID_RSA } from '../der'
import { KU } from '../extensions'
import { CLOUDFLARE_CLIENT_KEYS, CLOUDFLARE_CLIENT_KEYS_SENTENCE } from '../../../shared/constants'
import { CURVES, keyAlgorithmName, SIGNATURE_ALGORITHMS } from '../oids'
import { keyCheck, keyUsageLacks, type Rule } from '../rule'

const ALLOWED_HASHES = new Set(['sha1', 'sha256', 'sha384', 'sha512'])

export const cloudflareRules: Rule[] = [
  {
    id: 'cloudflare.not_ca',
    severity: 'error',
    source: 'Cloudflare Access / BYO CA / Gateway upload requirements',
    title: 'Cloudflare accepts only CA certificates here',
    fix:
      'Upload the issuing CA, not a leaf: create one with `certdesk ca new --cn NAME` or `openssl req ' +
      '-x509 … -addext "basicConstraints=critical,CA:TRUE"`.',
    check: ({ isCa }) => (isCa ? null : 'the certificate does not have basicConstraints CA:TRUE, so Cloudflare rejects the upload'),
  },
  {
    id: 'cloudflare.unsupported_algorithm',
    severity: 'error',
    source: 'Cloudflare Access / BYO CA upload requirements',
    title: 'Key or signature algorithm Cloudflare does not accept',
    fix:
      'Use an RSA or ECDSA key signed with SHA-256/384/512: `certdesk key new --type rsa-2048|ec-p256` ' +
      'then `certdesk ca new`, or `openssl req -x509 -sha256 …`.',
    check: ({ cert }) => {
      const key = cert.publicKey.algorithm
      const sig = SIGNATURE_ALGORITHMS[cert.outerSignature.oid]
      const problems: string[] = []
      if (key !== OID_RSA && key !== OID_EC_PUBLIC_KEY) problems.push(`key algorithm ${keyAlgorithmName(key)} (RSA or ECDSA only)`)
      if (!sig || (sig.key !== 'rsa' && sig.key !== 'ecdsa') || !ALLOWED_HASHES.has(sig.hash)) {
        problems.push(`signature algorithm ${sig?.name ?? cert.outerSignature.oid} (RSA/ECDSA with SHA-1/256/384/512 only)`)
      }
      return problems.length ? `Cloudflare does not accept ${problems.join(' or ')}` : null
    },
  },
  {
    id: 'gateway.key_usage.crl_sign_missing',
    severity: 'error',
    source: 'Cloudflare Gateway BYOPKI (Deploy custom certificate)',
    title: 'Gateway root without keyUsage cRLSign',
    fix: 'Re-create the root with `-addext "keyUsage=critical,keyCertSign,cRLSign"` as Cloudflare documents, or `certdesk ca new`.',
    check: keyUsageLacks(KU.cRLSign, 'keyUsage lacks cRLSign; Cloudflare requires `keyUsage=critical,keyCertSign,cRLSign`'),
  },
  {
    id: 'gateway.key.rsa_size',
    severity: 'error',
    source: 'Cloudflare Gateway BYOPKI (Deploy custom certificate)',
    title: 'Gateway root key is not RSA 2048 or 4096',
    fix:
      'Generate the root key as Cloudflare documents: `openssl genrsa -out root-key.pem 2048` (or 4096), ' +
      'or `certdesk key new --type rsa-2048|rsa-4096`.',
    check: keyCheck((k) => {
      if (k.algorithm !== OID_RSA) return `the key is ${keyAlgorithmName(k.algorithm)}; Gateway custom roots are RSA 2048 or 4096`
      return k.bits === 2048 || k.bits === 4096
        ? null
        : `the RSA key is ${k.bits ?? 'of unknown size'} bits; Gateway custom roots are RSA 2048 or 4096`
    }),
  },
]

/** P-256 and P-384: the curves Cloudflare's managed CA issues client certificates for. */
const CLIENT_CURVES = new Set(['1.2.840.10045.3.1.7', '1.3.132.0.34'])

/** Keys of client certificates issued by a zone's Cloudflare-managed CA (checked on every CSR before it is sent). */
export const cloudflareClientRules: Rule[] = [
  {
    id: 'cloudflare.client_key.unsupported',
    severity: 'error',
    source: 'Cloudflare API Shield client certificates (managed CA)',
    title: `Key Cloudflare does not issue client certificates for (only ${CLOUDFLARE_CLIENT_KEYS})`,
    fix:
      `${CLOUDFLARE_CLIENT_KEYS_SENTENCE} Generate a new key and CSR: \`certdesk key new --type ec-p256\` (or rsa-2048), ` +
      'or `openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 …`.',
    check: keyCheck((k) => {
      const accepted = CLOUDFLARE_CLIENT_KEYS_SENTENCE
      if (k.algorithm === OID_RSA) return k.bits !== null && k.bits < 2048 ? `the RSA key is ${k.bits} bits; ${accepted}` : null
      if (k.algorithm !== OID_EC_PUBLIC_KEY) return `the key is ${keyAlgorithmName(k.algorithm)}; ${accepted}`
      if (k.explicitCurve || k.curve === null) return `the EC key does not name its curve; ${accepted}`
      return CLIENT_CURVES.has(k.curve) ? null : `the EC key is on ${CURVES[k.curve] ?? k.curve}; ${accepted}`
    }),
  },
]
