/**
 * Request validation in the user's words: each zod issue becomes one sentence naming the field the
 * way the screens do ("The common name is required."), never "subject.cn: Too small: expected
 * string to have >=1 characters". A message a schema spells out itself (z.string().min(20, '…'))
 * wins over these, as zod gives a schema's own message precedence over a per-parse map.
 */
import type { z } from 'zod'

/** Field keys as the screens call them; anything else is split from camelCase into words. */
const FIELD_WORDS: Record<string, string> = {
  cn: 'common name',
  o: 'organization',
  ou: 'organizational unit',
  c: 'country',
  st: 'state or province',
  l: 'locality',
  token: 'API token',
  sans: 'subject alternative name',
  keyType: 'key type',
  keyId: 'key',
  id: 'ID',
  profileId: 'profile',
  zoneId: 'zone',
  accountId: 'account',
  jobId: 'job',
  days: 'validity (days)',
  validityDays: 'validity (days)',
  csrPem: 'CSR',
  certificatePem: 'certificate',
  keyPem: 'private key',
  pem: 'PEM text',
  permittedDns: 'permitted DNS name',
  expiringSoonDays: 'expiring window (days)',
  defaultValidityYears: 'default validity (years)',
}

const TYPE_WORDS: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'yes or no',
  array: 'a list',
  object: 'a set of fields',
}

function words(key: string): string {
  return FIELD_WORDS[key] ?? key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase()
}

/** "the common name", "subject alternative name 2", or "the request" for the request itself. */
export function fieldName(path: readonly PropertyKey[]): string {
  const named = path.filter((p): p is string => typeof p === 'string')
  const last = named.at(-1)
  if (last === undefined) return 'the request'
  const index = typeof path.at(-1) === 'number' ? ` ${(path.at(-1) as number) + 1}` : ''
  return index ? `${words(last)}${index}` : `the ${words(last)}`
}

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1)
const sentence = (s: string) => (/[.!?]$/.test(s.trim()) ? s.trim() : `${s.trim()}.`)

type RawIssue = z.core.$ZodRawIssue
type Sized = { origin?: string; minimum?: number | bigint; maximum?: number | bigint }

function sizeWords(issue: Sized, bound: number | bigint, atLeast: boolean): string {
  const limit = atLeast ? 'at least' : 'at most'
  if (issue.origin === 'string') return `must be ${limit} ${bound} character${bound === 1 ? '' : 's'} long`
  if (issue.origin === 'array' || issue.origin === 'set') return `must have ${limit} ${bound} item${bound === 1 ? '' : 's'}`
  return `must be ${limit} ${bound}`
}

/** The per-parse zod error map: one sentence per issue, naming the field in words. */
export function issueSentence(issue: RawIssue): string {
  const field = fieldName(issue.path ?? [])
  const Field = capital(field)
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return `${Field} is missing.`
      return `${Field} must be ${TYPE_WORDS[issue.expected] ?? issue.expected}.`
    case 'too_small':
      if (issue.origin === 'string' && Number(issue.minimum) === 1) return `${Field} is required.`
      return `${Field} ${sizeWords(issue, issue.minimum, true)}.`
    case 'too_big':
      return `${Field} ${sizeWords(issue, issue.maximum, false)}.`
    case 'invalid_format':
      if (issue.format === 'regex') return `${Field} contains characters that are not allowed there.`
      return `${Field} is not a valid ${issue.format === 'uuid' ? 'ID' : issue.format.replace(/_/g, ' ')}.`
    case 'invalid_value':
      return `${Field} must be one of: ${issue.values.map(String).join(', ')}.`
    case 'unrecognized_keys':
      return `${issue.keys.length === 1 ? 'This field is' : 'These fields are'} not expected here: ${issue.keys.map(words).join(', ')}.`
    case 'not_multiple_of':
      return `${Field} must be a multiple of ${issue.divisor}.`
    default:
      return `${Field} is not valid.`
  }
}

/** All issues of a failed parse as sentences (at most five), for an AppError message. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => sentence(issue.message))
    .join(' ')
}
