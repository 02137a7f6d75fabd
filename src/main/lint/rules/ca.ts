/** CA rules: basicConstraints, keyUsage, key identifiers, name, policy and anyPolicy constraints (RFC 5280 4.2.1.1–4.2.1.14). */
import { hasKeyUsage, KU } from '../extensions'
import { RFC, type Rule } from '../rule'

const CA_BC_FIX =
  'Re-issue with `basicConstraints = critical, CA:TRUE` in the openssl extension section (`-addext ' +
  '"basicConstraints=critical,CA:TRUE"`); `certdesk ca new` always sets it.'
const CA_KU_FIX =
  'Re-issue with `keyUsage = critical, keyCertSign, cRLSign` (`-addext ' +
  '"keyUsage=critical,keyCertSign,cRLSign"`); `certdesk ca new` always sets it.'

export const caRules: Rule[] = [
  {
    id: 'ca.basic_constraints.missing',
    severity: 'error',
    source: RFC('4.2.1.9'),
    title: 'CA certificate without basicConstraints',
    fix: CA_BC_FIX,
    check: ({ treatAsCa, bc }) =>
      treatAsCa && bc === null
        ? 'no basicConstraints extension, so verifiers cannot tell this is a CA (OpenSSL strict and Python 3.13 reject it as an anchor)'
        : null,
  },
  {
    id: 'ca.basic_constraints.not_ca',
    severity: 'error',
    source: RFC('4.2.1.9'),
    title: 'Expected a CA but basicConstraints says CA:FALSE',
    fix: CA_BC_FIX,
    check: ({ expectCa, bc }) =>
      expectCa && bc !== null && !bc.ca ? 'basicConstraints is present with cA=FALSE; this certificate cannot issue certificates' : null,
  },
  {
    id: 'ca.basic_constraints.not_critical',
    severity: 'error',
    source: `${RFC('4.2.1.9')}; OpenSSL X509_V_ERR_CA_BCONS_NOT_CRITICAL`,
    title: 'basicConstraints is not critical on a CA',
    fix: CA_BC_FIX,
    check: ({ isCa, bc }) => (isCa && bc && !bc.critical ? 'basicConstraints CA:TRUE is not marked critical' : null),
  },
  {
    id: 'ca.key_usage.missing',
    severity: 'error',
    source: `${RFC('4.2.1.3')}; OpenSSL X509_V_ERR_CA_CERT_MISSING_KEY_USAGE`,
    title: 'CA certificate without keyUsage',
    fix: CA_KU_FIX,
    check: ({ treatAsCa, keyUsage, cert }) =>
      treatAsCa && keyUsage === null && cert.version === 3 ? 'no keyUsage extension on a CA certificate' : null,
  },
  {
    id: 'ca.key_usage.not_critical',
    severity: 'warning',
    source: RFC('4.2.1.3'),
    title: 'keyUsage is not critical on a CA',
    fix: CA_KU_FIX,
    check: ({ treatAsCa, keyUsage, keyUsageCritical }) =>
      treatAsCa && keyUsage !== null && !keyUsageCritical
        ? 'keyUsage is present but not marked critical (RFC 5280: SHOULD be critical)'
        : null,
  },
  {
    id: 'ca.key_usage.no_key_cert_sign',
    severity: 'error',
    source: RFC('4.2.1.3, 4.2.1.9'),
    title: 'CA certificate without keyCertSign',
    fix: CA_KU_FIX,
    check: ({ treatAsCa, keyUsage }) =>
      treatAsCa && keyUsage !== null && !hasKeyUsage(keyUsage, KU.keyCertSign)
        ? 'keyUsage lacks keyCertSign, so signatures it makes on certificates are rejected'
        : null,
  },
  {
    id: 'cert.key_usage.key_cert_sign_without_ca',
    severity: 'error',
    source: `${RFC('4.2.1.3')}; OpenSSL X509_V_ERR_KU_KEY_CERT_SIGN_INVALID_FOR_NON_CA`,
    title: 'keyCertSign on a certificate that is not a CA',
    fix:
      'Drop keyCertSign from keyUsage for end-entity certificates (`keyUsage = critical, ' +
      'digitalSignature`), or make it a real CA (`basicConstraints = critical, CA:TRUE`); `certdesk ca ' +
      'sign --profile client|server` does the former.',
    check: ({ isCa, keyUsage }) =>
      !isCa && keyUsage !== null && hasKeyUsage(keyUsage, KU.keyCertSign)
        ? 'keyUsage asserts keyCertSign but basicConstraints does not say CA:TRUE'
        : null,
  },
  {
    id: 'cert.basic_constraints.path_len_without_ca',
    severity: 'error',
    source: `${RFC('4.2.1.9')}; OpenSSL X509_V_ERR_PATHLEN_INVALID_FOR_NON_CA`,
    title: 'pathLenConstraint on a certificate that is not a CA',
    fix:
      'Remove `pathlen:N` from basicConstraints on non-CA certificates (`basicConstraints = critical, ' +
      'CA:FALSE`); `certdesk ca new --path-len N` only sets it on CAs.',
    check: ({ bc }) => (bc && bc.pathLen !== null && !bc.ca ? 'basicConstraints sets pathLenConstraint but cA is FALSE' : null),
  },
  {
    id: 'cert.basic_constraints.path_len_without_key_cert_sign',
    severity: 'error',
    source: `${RFC('4.2.1.9')}; OpenSSL X509_V_ERR_PATHLEN_WITHOUT_KU_KEY_CERT_SIGN`,
    title: 'pathLenConstraint without keyCertSign',
    fix: CA_KU_FIX,
    check: ({ bc, keyUsage }) =>
      bc && bc.pathLen !== null && (keyUsage === null || !hasKeyUsage(keyUsage, KU.keyCertSign))
        ? 'basicConstraints sets pathLenConstraint but keyUsage does not assert keyCertSign'
        : null,
  },
  {
    id: 'cert.basic_constraints.negative_path_len',
    severity: 'error',
    source: RFC('4.2.1.9'),
    title: 'Negative pathLenConstraint',
    fix: 'Use `basicConstraints = critical, CA:TRUE, pathlen:N` with N ≥ 0 (`certdesk ca new --path-len N`).',
    check: ({ bc }) => (bc?.pathLenNegative ? 'pathLenConstraint is negative' : null),
  },
  {
    id: 'ca.ski.missing',
    severity: 'error',
    source: `${RFC('4.2.1.2')}; OpenSSL X509_V_ERR_MISSING_SUBJECT_KEY_IDENTIFIER`,
    title: 'CA certificate without Subject Key Identifier',
    fix:
      "Add `subjectKeyIdentifier = hash` to the CA's openssl extension section (`-addext " +
      '"subjectKeyIdentifier=hash"`) and re-issue; `certdesk ca new` always adds it.',
    check: ({ treatAsCa, ski, cert }) =>
      treatAsCa && ski === null && cert.version === 3 ? 'no subjectKeyIdentifier extension on a CA certificate' : null,
  },
  {
    id: 'cert.ski.critical',
    severity: 'error',
    source: `${RFC('4.2.1.2')}; OpenSSL X509_V_ERR_SUBJECT_KEY_IDENTIFIER_CRITICAL`,
    title: 'Subject Key Identifier marked critical',
    fix: 'Use `subjectKeyIdentifier = hash` without `critical,` in the openssl extension section and re-issue.',
    check: ({ ski, skiCritical }) => (ski !== null && skiCritical ? 'subjectKeyIdentifier is marked critical; it MUST NOT be' : null),
  },
  {
    id: 'cert.aki.missing',
    severity: 'error',
    source: `${RFC('4.2.1.1')}; OpenSSL X509_V_ERR_MISSING_AUTHORITY_KEY_IDENTIFIER`,
    title: 'No Authority Key Identifier on a certificate that is not self-signed',
    fix:
      'Add `authorityKeyIdentifier = keyid:always` to the openssl extension section used to sign (`openssl ' +
      'x509 -req -extfile … -extensions …`); `certdesk ca sign` always adds it.',
    check: ({ aki, isLast, cert }) =>
      aki === null && !isLast && cert.version === 3
        ? 'no authorityKeyIdentifier extension, and the certificate is not a self-signed root'
        : null,
  },
  {
    id: 'cert.aki.no_key_identifier',
    severity: 'error',
    source: `${RFC('4.2.1.1')}; OpenSSL X509_V_ERR_MISSING_AUTHORITY_KEY_IDENTIFIER`,
    title: 'Authority Key Identifier without keyIdentifier',
    fix:
      'Sign with `authorityKeyIdentifier = keyid:always` (not `issuer` alone) in the openssl extension ' +
      'section; the issuing CA needs a subjectKeyIdentifier. `certdesk ca sign` does both.',
    check: ({ aki, isLast, cert }) =>
      aki !== null && aki.keyId === null && !isLast && cert.version === 3 ? 'authorityKeyIdentifier has no keyIdentifier field' : null,
  },
  {
    id: 'cert.aki.critical',
    severity: 'error',
    source: `${RFC('4.2.1.1')}; OpenSSL X509_V_ERR_AUTHORITY_KEY_IDENTIFIER_CRITICAL`,
    title: 'Authority Key Identifier marked critical',
    fix:
      'Use `authorityKeyIdentifier = keyid:always` without `critical,` in the openssl extension section ' +
      'and re-issue (`certdesk ca sign` never marks it critical).',
    check: ({ aki }) => (aki?.critical ? 'authorityKeyIdentifier is marked critical; it MUST NOT be' : null),
  },
  {
    id: 'ca.name_constraints.malformed',
    severity: 'error',
    source: RFC('4.2.1.10'),
    title: 'Name constraints are not well-formed',
    fix:
      'Write them as `nameConstraints = critical, permitted;DNS:.example.com` (or `excluded;…`) in the ' +
      'openssl extension section, with no minimum/maximum, and re-issue.',
    check: ({ nameConstraints }) => (nameConstraints && nameConstraints.problems.length ? nameConstraints.problems.join('; ') : null),
  },
  {
    id: 'ca.name_constraints.not_critical',
    severity: 'warning',
    source: RFC('4.2.1.10'),
    title: 'Name constraints are not critical',
    fix:
      'Use `nameConstraints = critical, permitted;DNS:…` in the openssl extension section so verifiers ' +
      'that do not understand them refuse the chain instead of ignoring them.',
    check: ({ nameConstraints }) =>
      nameConstraints && !nameConstraints.critical ? 'nameConstraints is not marked critical (RFC 5280: MUST be critical)' : null,
  },
  {
    id: 'ca.name_constraints.on_non_ca',
    severity: 'error',
    source: RFC('4.2.1.10'),
    title: 'Name constraints on a certificate that is not a CA',
    fix:
      'Remove the `nameConstraints` line from the openssl extension section for end-entity certificates; ' +
      'put it only in CAs (`basicConstraints = critical, CA:TRUE`).',
    check: ({ nameConstraints, isCa }) => (nameConstraints && !isCa ? 'nameConstraints appears on a certificate without CA:TRUE' : null),
  },
  {
    id: 'ca.policy_constraints.not_critical',
    severity: 'warning',
    source: RFC('4.2.1.11'),
    title: 'Policy constraints are not critical',
    fix:
      'Use `policyConstraints = critical, requireExplicitPolicy:0` (or `inhibitPolicyMapping:N`) in the openssl ' +
      'extension section and re-issue.',
    check: ({ policyConstraintsCritical }) =>
      policyConstraintsCritical === false
        ? 'policyConstraints is not marked critical (RFC 5280: conforming CAs MUST mark it critical)'
        : null,
  },
  {
    id: 'ca.inhibit_any_policy.not_critical',
    severity: 'warning',
    source: RFC('4.2.1.14'),
    title: 'inhibitAnyPolicy is not critical',
    fix: 'Use `inhibitAnyPolicy = critical, 0` in the openssl extension section and re-issue.',
    check: ({ inhibitAnyPolicyCritical }) =>
      inhibitAnyPolicyCritical === false
        ? 'inhibitAnyPolicy is not marked critical (RFC 5280: conforming CAs MUST mark it critical)'
        : null,
  },
]
