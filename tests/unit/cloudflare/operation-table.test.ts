/**
 * One name per Cloudflare operation: the channel `ns:verb`, the operation key `ns.verb` (its token
 * permission in operations.ts) and the activity action `cf.ns.verb` (with words for the screen).
 */
import { describe, expect, test } from 'vitest'
import { keyOf, OPERATION_TABLE, VAULT_KEY_CHANNELS, type RunKey } from '../../../src/main/cloudflare/operation-table'
import { OPERATIONS } from '../../../src/main/cloudflare/operations'
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
}).filter((c) => !(VAULT_KEY_CHANNELS as readonly string[]).includes(c))
const entries = Object.entries(OPERATION_TABLE) as Array<[RunKey, (typeof OPERATION_TABLE)[RunKey]]>

describe('the operation table', () => {
  test('every channel of the Cloudflare namespaces has its operation, under the same name with a dot', () => {
    const keys = new Set(entries.map(([key]) => key))
    expect(channels.filter((c) => !keys.has(keyOf(c as never)))).toEqual([])
    // Only the vault-key upload runs without a channel of its own (the KeyService reads the key).
    expect([...keys].filter((k) => !channels.includes(k.replace('.', ':')))).toEqual(['gateway.uploadRoot'])
  })

  test('each operation has its token permission; a change there is one the runner records', () => {
    for (const [key, spec] of entries) {
      const permission = OPERATIONS[key]
      expect(permission, key).toBeDefined()
      const records = 'audit' in spec || 'recordsItself' in spec
      expect({ key, write: permission.write }).toEqual({ key, write: records })
    }
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
})
