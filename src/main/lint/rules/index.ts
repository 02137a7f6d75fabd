/** Every rule, by family. Ids are unique (a test checks) and stable. */
import type { Rule } from '../rule'
import { caRules } from './ca'
import { cloudflareClientRules, cloudflareRules } from './cloudflare'
import { keyRules } from './key'
import { clientRules, serverRules } from './leaf'
import { nameRules } from './names'
import { opensslStrictRules } from './openssl-strict'
import { roleRules } from './role'
import { signatureRules } from './signature'
import { structureRules } from './structure'
import { validityRules } from './validity'

export {
  caRules,
  clientRules,
  cloudflareClientRules,
  cloudflareRules,
  keyRules,
  nameRules,
  opensslStrictRules,
  roleRules,
  serverRules,
  signatureRules,
  structureRules,
  validityRules,
}

export const ALL_CERT_RULES: Rule[] = [
  ...structureRules,
  ...nameRules,
  ...caRules,
  ...clientRules,
  ...serverRules,
  ...keyRules,
  ...signatureRules,
  ...validityRules,
  ...cloudflareRules,
  ...roleRules,
  ...opensslStrictRules,
]
