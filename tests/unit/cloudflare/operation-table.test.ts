/**
 * One name per Cloudflare operation: the channel `ns:verb`, the operation key `ns.verb` (its row, with
 * its token permission, in operation-table.ts) and the activity action `cf.ns.verb` (with words for the screen).
 */
import { describe, expect, test, vi } from 'vitest'
import {
  COMPOSED_CHANNELS,
  keyOf,
  operation,
  OPERATION_TABLE,
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

const channels = Object.keys({
  ...clientCertsContract,
  ...hostnamesContract,
  ...accessContract,
  ...mtlsContract,
  ...gatewayContract,
  ...rulesContract,
}).filter((c) => ![...VAULT_KEY_CHANNELS, ...COMPOSED_CHANNELS].includes(c as never))
const entries = Object.entries(OPERATION_TABLE) as Array<[RunKey, (typeof OPERATION_TABLE)[RunKey]]>

describe('the operation table', () => {
  test('every channel of the Cloudflare namespaces has its operation, under the same name with a dot', () => {
    const keys = new Set(entries.map(([key]) => key))
    expect(channels.filter((c) => !keys.has(keyOf(c as never)))).toEqual([])
    // Only the vault-key upload runs without a channel of its own (the KeyService reads the key), and what the doctor
    // over a profile reads of each zone (rules:doctorProfile runs it per zone).
    expect([...keys].filter((k) => !channels.includes(k.replace('.', ':')))).toEqual(['gateway.uploadRoot', 'rules.zoneEnforcement'])
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

  test('every recorded action has words, and the names earlier versions wrote keep theirs', () => {
    const recorded = entries.filter(([, spec]) => 'audit' in spec).map(([key]) => `cf.${key}`)
    expect(recorded.length).toBeGreaterThan(14)
    expect(recorded.filter((action) => !ACTION_WORDS[action])).toEqual([])
    const older = ['create', 'revoke', 'reactivate', 'bulkRevoke', 'bulkCreate'].map((v) => `cf.clientCertificate.${v}`)
    expect([...older, 'cf.access.settings'].filter((action) => !ACTION_WORDS[action])).toEqual([])
    expect(ACTION_WORDS['cf.clientCertificate.revoke']).toBe(ACTION_WORDS['cf.clientCerts.revoke'])
    expect(ACTION_WORDS['cf.access.settings']).toBe(ACTION_WORDS['cf.access.updateSettings'])
  })

  /** errors.ts reads the table and the table calls the surface modules, which import errors.ts: any may load first. */
  test.each(['client-certificates', 'errors', 'operation-table'])('the table works when %s is loaded first', async (first) => {
    vi.resetModules()
    await import(`../../../src/main/cloudflare/${first}.ts`)
    const table = (await import('../../../src/main/cloudflare/operation-table')).OPERATION_TABLE
    const call = table['clientCerts.revoke'].call({ client: {}, at: { zoneId: 'z' }, request: { id: 'c' } } as never)
    await expect(call).rejects.toBeInstanceOf(Error)
    await expect(call).rejects.not.toThrow(/is not a function/)
  })
})
