/** The activity log as an audit trail: words for every action, object name and id, profile, outcome and reason; found by any of them. */
import { appendFileSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { ACTION_WORDS, OUTCOME_WORDS, actionWords } from '../../../src/shared/activity'
import { registerSecret } from '../../../src/main/log'
import { ActivityLog } from '../../../src/main/storage/activity'
import { operationTable, operationWords } from '../../../src/main/cloudflare/operation-table'

const tempDir = () => mkdtempSync(join(tmpdir(), 'certdesk-audit-'))

/** Every action key the main process records, read from the source that records them and from the operation table. */
function recordedActions(): string[] {
  const files = [
    'src/main/cloudflare/issuance.ts',
    'src/main/profiles/profile-service.ts',
    'src/main/truststore/service.ts',
    ...['src/main/handlers', 'src/main/keys'].flatMap((dir) => readdirSync(dir).map((f) => `${dir}/${f}`)),
  ]
  // A Cloudflare change is recorded as `cf.` and its operation key.
  const keys = new Set(Object.entries(operationTable()).flatMap(([key, spec]) => ('audit' in spec ? [`cf.${key}`] : [])))
  for (const file of files) {
    const text = readFileSync(file, 'utf8')
    // `operation('gateway.list')` and `run('gateway.uploadRoot', …)` name an operation, not an action.
    for (const m of text.matchAll(/(?<!(?:operation|run)\()'((?:cf|key|trust|profile|sandbox|gateway|certificate)\.[A-Za-z.]+)'/g))
      keys.add(m[1]!)
  }
  return [...keys].sort()
}

describe('activity words', () => {
  test('every action the app records has words (no dotted keys on screen)', () => {
    const actions = recordedActions()
    expect(actions.length).toBeGreaterThan(25)
    expect(actions).toContain('certificate.save')
    expect(actions.filter((a) => !(operationWords(a) ?? ACTION_WORDS[a]))).toEqual([])
    expect(operationWords('cf.clientCerts.revoke')).toBe('Revoked client certificate')
    // Logs on disk hold the names earlier versions wrote.
    expect(actionWords('cf.clientCertificate.revoke')).toBe('Revoked client certificate')
    expect(actionWords('key.export')).toBe('Exported private key')
    expect(actionWords('certificate.save')).toBe('Saved certificate')
  })

  test('an unknown key (written by a newer app) still reads as words', () => {
    expect(actionWords('cf.originCa.createThing')).toBe('Origin ca create thing')
  })

  test('outcomes in words', () => {
    expect(OUTCOME_WORDS).toEqual({ ok: 'Succeeded', failed: 'Failed', cancelled: 'Cancelled', unknown: 'Unknown' })
  })
})

describe('activity entries', () => {
  test('name the object (name and id), the profile by name, the outcome and the reason', () => {
    const log = new ActivityLog(tempDir(), (id) => (id === 'p-1' ? 'Production' : undefined))
    const entry = log.record({
      action: 'cf.clientCertificate.revoke',
      target: 'device-7 (c0ffee)',
      objectId: 'c0ffee',
      objectName: 'device-7',
      profileId: 'p-1',
      outcome: 'failed',
      reason: 'Cloudflare refused: the certificate is already revoked.',
    })
    expect(entry).toMatchObject({
      profile: 'Production',
      objectName: 'device-7',
      objectId: 'c0ffee',
      outcome: 'failed',
      reason: expect.stringContaining('already revoked'),
    })
    expect(log.list()[0]).toEqual({ ...entry, words: 'Revoked client certificate' })
  })

  test('lines written before these fields still read, and an old entry is found by its target', () => {
    const dir = tempDir()
    appendFileSync(
      join(dir, 'activity.jsonl'),
      `${JSON.stringify({ at: '2026-01-02T03:04:05.000Z', actor: 'ann', action: 'key.export', target: 'Root CA', outcome: 'ok', detail: { keyId: 'k1', format: 'certificate-pem' } })}\n`,
    )
    const log = new ActivityLog(dir)
    expect(log.list()).toHaveLength(1)
    expect(log.list({ text: 'root ca' })).toHaveLength(1)
    expect(log.list({ text: 'k1' })).toHaveLength(1)
  })

  test('the filter searches object names and ids, the profile, the action in words, the reason and the details', () => {
    const log = new ActivityLog(tempDir(), () => 'Staging account')
    log.record({
      action: 'cf.clientCertificate.revoke',
      target: 'laptop-42 (id-aaa)',
      objectId: 'id-aaa',
      objectName: 'laptop-42',
      profileId: 'p',
      detail: { zone: 'example.com' },
    })
    log.record({
      action: 'trust.install',
      target: 'linux-system ABCD',
      objectId: 'ABCD',
      objectName: 'CN=Corp Root',
      outcome: 'cancelled',
      reason: 'Declined in the confirmation dialog.',
    })
    log.record({ action: 'key.create', target: 'other', objectId: 'k9', objectName: 'other' })
    const found = (text: string) => log.list({ text }).map((e) => e.action)
    expect(found('LAPTOP-42')).toEqual(['cf.clientCertificate.revoke'])
    expect(found('id-aaa')).toEqual(['cf.clientCertificate.revoke'])
    expect(found('example.com')).toEqual(['cf.clientCertificate.revoke'])
    expect(found('staging')).toEqual(['cf.clientCertificate.revoke'])
    expect(found('revoked client')).toEqual(['cf.clientCertificate.revoke'])
    expect(found('corp root')).toEqual(['trust.install'])
    expect(found('declined')).toEqual(['trust.install'])
    expect(found('cancelled')).toEqual(['trust.install'])
  })

  test("a Cloudflare change is listed, and found, by the words its operation's row declares", () => {
    const log = new ActivityLog(tempDir(), undefined, (action) => operationWords(action) ?? actionWords(action))
    log.record({ action: 'cf.rules.enforce', target: 'rule "mTLS" on zone example.com' })
    log.record({ action: 'cf.originCa.createThing', target: 'x' })
    expect(log.list().map((e) => e.words)).toEqual(['Origin ca create thing', 'Changed WAF custom rules (mTLS enforcement)'])
    expect(log.list({ text: 'waf custom rules' }).map((e) => e.action)).toEqual(['cf.rules.enforce'])
  })

  test('a reason never carries a token: known secrets and token-shaped strings are redacted', () => {
    const log = new ActivityLog(tempDir())
    const known = 'all-lowercase-token-the-app-has-loaded'
    registerSecret(known)
    const shaped = 'Xy7' + 'aB3_'.repeat(10)
    const entry = log.record({ action: 'profile.add', target: 'P', outcome: 'failed', reason: `Rejected ${known} and ${shaped}` })
    expect(entry.reason).toBe('Rejected [token redacted] and [token redacted]')
    expect(readFileSync(log.path, 'utf8')).not.toContain(known)
  })
})
