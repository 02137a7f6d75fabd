/**
 * One name per Cloudflare operation: the channel `ns:verb`, the operation key `ns.verb` (its row, with its
 * token permission and activity words, in the namespace's surface module) and the activity action `cf.ns.verb`.
 */
import { describe, expect, test, vi } from 'vitest'
import {
  COMPOSED_CHANNELS,
  keyOf,
  operation,
  operationTable,
  operationWords,
  VAULT_KEY_CHANNELS,
  type RunKey,
} from '../../../src/main/cloudflare/operation-table'
import { STEP_OPERATIONS } from '../../../src/main/cloudflare/operations'
import { ACTION_WORDS } from '../../../src/shared/activity'
import { accessContract } from '../../../src/shared/contract/access'
import { clientCertsContract } from '../../../src/shared/contract/clientCerts'
import { gatewayContract } from '../../../src/shared/contract/gateway'
import { hostnamesContract } from '../../../src/shared/contract/hostnames'
import { mtlsContract } from '../../../src/shared/contract/mtls'
import { rulesContract } from '../../../src/shared/contract/rules'
import { aopContract } from '../../../src/shared/contract/aop'
import { originCaContract } from '../../../src/shared/contract/originCa'

const channels = Object.keys({
  ...clientCertsContract,
  ...hostnamesContract,
  ...accessContract,
  ...mtlsContract,
  ...gatewayContract,
  ...rulesContract,
  ...aopContract,
  ...originCaContract,
}).filter((c) => ![...VAULT_KEY_CHANNELS, ...COMPOSED_CHANNELS].includes(c as never))
const OPERATION_TABLE = operationTable()
const entries = Object.entries(OPERATION_TABLE) as Array<[RunKey, (typeof OPERATION_TABLE)[RunKey]]>

describe('the operation table', () => {
  test('every channel of the Cloudflare namespaces has its operation, under the same name with a dot', () => {
    const keys = new Set(entries.map(([key]) => key))
    expect(channels.filter((c) => !keys.has(keyOf(c as never)))).toEqual([])
    // Only the uploads that carry a private key run without a channel of their own (the key never crosses IPC), and
    // what the doctor over a profile reads of each zone (rules:doctorProfile runs it per zone).
    expect([...keys].filter((k) => !channels.includes(k.replace('.', ':')))).toEqual([
      'gateway.uploadRoot',
      'rules.zoneEnforcement',
      'aop.upload',
    ])
  })

  test('each row declares its token permission; a change there is one the runner records', () => {
    for (const [key, spec] of entries) {
      const { permission } = spec
      expect(permission.label, key).toMatch(/^[a-z]/)
      expect(permission.accepted.length, key).toBeGreaterThan(0)
      expect(permission.accepted, key).toContain(permission.permission)
      const records = 'audit' in spec || 'recordsItself' in spec
      expect({ key, write: permission.write }).toEqual({ key, write: records })
    }
  })

  test('the table is the one source: errors read the permission of its row, the steps alone are listed apart', () => {
    expect(Object.keys(STEP_OPERATIONS).filter((key) => key in OPERATION_TABLE)).toEqual([])
    for (const [key, spec] of entries) {
      expect(operation(key), key).toEqual({ ...spec.permission, scope: spec.scope === 'access' ? 'account' : spec.scope })
    }
    expect(operation('zones.list')).toBe(STEP_OPERATIONS['zones.list'])
  })

  test('every recorded action has its words in its row, and the names earlier versions wrote keep theirs', () => {
    const recorded = entries.filter(([, spec]) => 'audit' in spec).map(([key]) => `cf.${key}`)
    expect(recorded.length).toBeGreaterThan(14)
    expect(recorded.filter((action) => !/^[A-Z][a-z]+ [\w (),-]+$/.test(operationWords(action) ?? ''))).toEqual([])
    // Reads are never recorded, and no other action is an operation's.
    expect(operationWords('cf.clientCerts.list')).toBeUndefined()
    expect(operationWords('key.export')).toBeUndefined()
    expect(operationWords('cf.constructor')).toBeUndefined()
    const older = ['create', 'revoke', 'reactivate', 'bulkRevoke', 'bulkCreate'].map((v) => `cf.clientCertificate.${v}`)
    expect([...older, 'cf.access.settings'].filter((action) => !ACTION_WORDS[action])).toEqual([])
    expect(ACTION_WORDS['cf.clientCertificate.revoke']).toBe(operationWords('cf.clientCerts.revoke'))
    expect(ACTION_WORDS['cf.access.settings']).toBe(operationWords('cf.access.updateSettings'))
    // An operation's words live in its row only.
    expect(recorded.filter((action) => action in ACTION_WORDS)).toEqual([])
  })

  /** errors.ts reads the table, which joins the surface modules' rows, and they import errors.ts: any may load first. */
  test.each(['client-certificates', 'errors', 'operation-table'])('the table works when %s is loaded first', async (first) => {
    vi.resetModules()
    await import(`../../../src/main/cloudflare/${first}.ts`)
    const table = (await import('../../../src/main/cloudflare/operation-table')).operationTable()
    const call = table['clientCerts.revoke'].call({ client: {}, at: { zoneId: 'z' }, request: { id: 'c' } } as never)
    await expect(call).rejects.toBeInstanceOf(Error)
    await expect(call).rejects.not.toThrow(/is not a function/)
  })
})
