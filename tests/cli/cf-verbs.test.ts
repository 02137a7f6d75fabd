/**
 * Every `certdesk cf` verb against the Sandbox, through runCli: each calls its IPC channel's handler
 * (the app's path), prints JSON that parses, and exits 0 / 1 / 2 like the other commands. Destructive
 * verbs ask on a terminal and need --yes in a script; bad input is refused before any request.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, test } from 'vitest'
import { VAULT_KEY_CHANNELS } from '../../src/main/cloudflare/operation-table'
import { accessContract } from '../../src/shared/contract/access'
import { clientCertsContract } from '../../src/shared/contract/clientCerts'
import { gatewayContract } from '../../src/shared/contract/gateway'
import { aopContract } from '../../src/shared/contract/aop'
import { originCaContract } from '../../src/shared/contract/originCa'
import { hostnamesContract } from '../../src/shared/contract/hostnames'
import { mtlsContract } from '../../src/shared/contract/mtls'
import { CF_VERB_CHANNELS } from '../../src/cli/commands/cf'
import { loadCommands } from '../../src/cli/commands'
import { opensslRoot, ROOT_EXT } from '../support/cert-factory'
import { useCfSandbox, type CliRun } from '../support/cli'

const fx = useCfSandbox('certdesk-cf-verbs-', {
  seed: 'demo',
  timing: { revocationMs: 60_000, reactivationMs: 60_000, gatewayDeployMs: 300 },
})
beforeAll(() => {
  // An independent referee makes the root: OpenSSL, not Certdesk's own PKI code.
  opensslRoot(join(fx.dir, 'root.pem'), join(fx.dir, 'root.key'), { subject: '/CN=CLI Verbs Root', days: 365, ext: ROOT_EXT })
})

/** `certdesk cf argv`; `confirm` answers the terminal's question (none: run as a script). */
function cf(argv: string[], options: { confirm?: boolean; token?: string } = {}): Promise<CliRun> {
  const { confirm, token } = options
  return fx.cf(argv, { ...(token === undefined ? {} : { token }), ...(confirm === undefined ? {} : { confirm: async () => confirm }) })
}

/** Runs a verb with --json, expects exit 0 and returns the parsed output. */
async function json<T>(argv: string[]): Promise<T> {
  const r = await cf([...argv, '--json'])
  expect(r.code, `${argv.join(' ')}: ${r.err}`).toBe(0)
  return JSON.parse(r.out) as T
}

const zone = () => fx.sb.zones[0]!

test('every channel of the Cloudflare contract has a cf verb', async () => {
  // Every module of `certdesk cf` registers its verbs as it loads.
  await loadCommands('cf')
  const covered = new Set(CF_VERB_CHANNELS.values())
  const namespaces = {
    ...clientCertsContract,
    ...hostnamesContract,
    ...accessContract,
    ...mtlsContract,
    ...gatewayContract,
    ...aopContract,
    ...originCaContract,
  }
  // The vault-key channels (issue for a vault key, Gateway roots) are the `certdesk vault`/key commands' side.
  const channels = [...Object.keys(namespaces).filter((c) => !(VAULT_KEY_CHANNELS as readonly string[]).includes(c)), 'profiles:verify']
  expect(channels.filter((channel) => !covered.has(channel as never))).toEqual([])
})

describe('hostnames', () => {
  test('get, plan (changes nothing), replace (then get shows the new list)', async () => {
    const before = await json<string[]>(['hostnames', 'get', '--zone', zone().name])
    const wanted = [...before.slice(0, 1), 'cli-new.example.com']
    const plan = await json<{ current: string[]; plan: { added: string[]; removed: string[] } }>([
      'hostnames',
      'plan',
      '--zone',
      zone().id,
      '--hostname',
      wanted.join(','),
    ])
    expect(plan.current).toEqual(before)
    expect(plan.plan.added).toEqual(['cli-new.example.com'])
    expect(await json<string[]>(['hostnames', 'get', '--zone', zone().name])).toEqual(before)
    const replaced = await json<{ changed: boolean; hostnames: string[] }>([
      'hostnames',
      'replace',
      '--zone',
      zone().name,
      '--hostname',
      wanted[0]!,
      '--hostname',
      wanted[1]!,
    ])
    expect(replaced.changed).toBe(true)
    expect((await json<string[]>(['hostnames', 'get', '--zone', zone().name])).sort()).toEqual([...wanted].sort())
  })
})

describe('access-roots', () => {
  test('add (from a PEM file), list, update-hostnames, settings, update-settings, delete', async () => {
    const added = await json<{ id: string; name: string; associatedHostnames: string[] }>([
      'access-roots',
      'add',
      '--name',
      'CLI verbs root',
      '--cert',
      'root.pem',
      '--hostname',
      'cli-access.example.com',
    ])
    expect(added).toMatchObject({ name: 'CLI verbs root', associatedHostnames: ['cli-access.example.com'] })
    const listed = await json<Array<{ id: string }>>(['access-roots', 'list', '--account', fx.sb.account.name])
    expect(listed.map((r) => r.id)).toContain(added.id)

    const updated = await json<{ associatedHostnames: string[] }>([
      'access-roots',
      'update-hostnames',
      added.id,
      '--hostname',
      'a.example.com,b.example.com',
    ])
    expect(updated.associatedHostnames.sort()).toEqual(['a.example.com', 'b.example.com'])

    const settings = await json<Array<{ hostname: string; clientCertificateForwarding: boolean }>>(['access-roots', 'settings'])
    const changed = [...settings, { hostname: 'a.example.com', chinaNetwork: false, clientCertificateForwarding: true }]
    writeFileSync(join(fx.dir, 'settings.json'), JSON.stringify(changed))
    const saved = await json<Array<{ hostname: string }>>(['access-roots', 'update-settings', '--settings', 'settings.json'])
    expect(saved.map((s) => s.hostname)).toContain('a.example.com')

    const deleted = await json<{ id: string; detached: string[] }>(['access-roots', 'delete', added.id, '--yes'])
    expect(deleted.id).toBe(added.id)
    expect(deleted.detached.sort()).toEqual(['a.example.com', 'b.example.com'])
    expect((await json<Array<{ id: string }>>(['access-roots', 'list'])).map((r) => r.id)).not.toContain(added.id)
  })
})

describe('mtls-certs', () => {
  test('upload (a CA chain file), list --type, associations, delete', async () => {
    const uploaded = await json<{ id: string; ca: boolean; name: string }>([
      'mtls-certs',
      'upload',
      '--chain',
      'root.pem',
      '--name',
      'CLI CA',
    ])
    expect(uploaded).toMatchObject({ ca: true, name: 'CLI CA' })
    const custom = await json<Array<{ id: string; type: string }>>(['mtls-certs', 'list', '--type', 'custom'])
    expect(custom.map((m) => m.id)).toContain(uploaded.id)
    expect(new Set(custom.map((m) => m.type))).toEqual(new Set(['custom']))
    expect(await json<unknown[]>(['mtls-certs', 'associations', uploaded.id])).toEqual([])
    expect(await json<{ id: string }>(['mtls-certs', 'delete', uploaded.id, '--yes'])).toEqual({ id: uploaded.id })
    expect((await json<Array<{ id: string }>>(['mtls-certs', 'list'])).map((m) => m.id)).not.toContain(uploaded.id)
  })
})

describe('gateway', () => {
  test('create, activate, watch (progress on stderr), use-for-inspection, inspection-certificate, deactivate, delete', async () => {
    const created = await json<{ id: string; bindingStatus: string }>(['gateway', 'create', '--days', '365'])
    expect(created.bindingStatus).toBe('inactive')
    expect((await json<Array<{ id: string }>>(['gateway', 'list'])).map((g) => g.id)).toContain(created.id)
    expect((await json<{ bindingStatus: string }>(['gateway', 'activate', created.id])).bindingStatus).toBe('pending_deployment')

    const watched = await cf(['gateway', 'watch', created.id, '--json'])
    expect(watched.code, watched.err).toBe(0)
    expect((JSON.parse(watched.out) as { bindingStatus: string }).bindingStatus).toBe('available')
    expect(watched.err).toMatch(/Waiting for the certificate to deploy: \d/)

    expect(await json(['gateway', 'use-for-inspection', created.id])).toEqual({ certificateId: created.id })
    expect(await json(['gateway', 'inspection-certificate'])).toEqual({ certificateId: created.id })
    const human = await cf(['gateway', 'inspection-certificate'])
    expect(human.out.trim()).toBe(created.id)

    expect((await json<{ bindingStatus: string }>(['gateway', 'deactivate', created.id, '--yes'])).bindingStatus).toBe('pending_deletion')
    const early = await cf(['gateway', 'delete', created.id, '--yes'])
    expect(early.code).toBe(1)
    expect(early.err).toContain('only an inactive certificate can be deleted')
  })
})

describe('client-certs through their channels', () => {
  test('list, get, revoke, reactivate, bulk-revoke (progress on stderr, one line per certificate)', async () => {
    const all = await json<Array<{ id: string; status: string; certificate?: string }>>(['client-certs', 'list', '--zone', zone().name])
    const active = all.filter((c) => c.status === 'active')
    expect(active.length).toBeGreaterThanOrEqual(3)
    expect(all.every((c) => c.certificate === undefined)).toBe(true)
    const [one, two, three] = active.slice(0, 3).map((c) => ({ id: c.id })) as [{ id: string }, { id: string }, { id: string }]

    const got = await json<{ id: string; certificate: string }>(['client-certs', 'get', '--zone', zone().name, one.id])
    expect(got.id).toBe(one.id)
    expect(got.certificate).toContain('BEGIN CERTIFICATE')

    expect((await json<{ status: string }>(['client-certs', 'revoke', '--zone', zone().name, one.id])).status).toBe('pending_revocation')
    expect((await json<{ status: string }>(['client-certs', 'reactivate', '--zone', zone().name, one.id])).status).toBe(
      'pending_reactivation',
    )

    const bulk = await cf(['client-certs', 'bulk-revoke', '--zone', zone().name, two.id, three.id, '--yes'])
    expect(bulk.code, bulk.err).toBe(0)
    expect(bulk.out).toContain('2 revoked, 0 failed.')
    expect(bulk.err).toMatch(/Revoking 2 certificates: 2\/2/)
    const status = await json<Array<{ id: string; status: string }>>(['client-certs', 'list', '--zone', zone().name])
    expect(status.filter((c) => c.id === two.id || c.id === three.id).map((c) => c.status)).toEqual([
      'pending_revocation',
      'pending_revocation',
    ])
  })
})

describe('destructive verbs and bad input', () => {
  test('a delete is refused in a script without --yes (exit 2), kept on a "no" (exit 1), done on a "yes"', async () => {
    const created = await json<{ id: string }>(['gateway', 'create'])
    const refused = await cf(['gateway', 'delete', created.id])
    expect(refused.code).toBe(2)
    expect(refused.err.split('\n')[0]).toBe(
      `certdesk cf gateway delete: Delete the Gateway certificate ${created.id}: this cannot be undone; ` +
        'pass --yes to confirm (stdin is not a terminal to ask on)',
    )
    const declined = await cf(['gateway', 'delete', created.id, '--json'], { confirm: false })
    expect(declined.code).toBe(1)
    expect(JSON.parse(declined.out)).toEqual({ changed: false })
    expect((await json<Array<{ id: string }>>(['gateway', 'list'])).map((g) => g.id)).toContain(created.id)

    const confirmed = await cf(['gateway', 'delete', created.id], { confirm: true })
    expect(confirmed.code, confirmed.err).toBe(0)
    expect((await json<Array<{ id: string }>>(['gateway', 'list'])).map((g) => g.id)).not.toContain(created.id)
  })

  test('bad input exits 2 with one clear line (and the error as JSON with --json); nothing is created', async () => {
    const before = fx.sb.snapshot()
    writeFileSync(join(fx.dir, 'not-json.json'), '{ nope')
    writeFileSync(join(fx.dir, 'not-a-cert.pem'), '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n')
    const cases: Array<[string[], RegExp]> = [
      [['gateway', 'create', '--days', 'soon'], /--days must be a whole number of at least 1, not "soon"/],
      [['gateway', 'create', '--days', '99999'], /The validity \(days\) must be at most 10950\./],
      [['hostnames', 'plan', '--zone', zone().name], /--hostname HOST is required/],
      [['hostnames', 'get'], /--zone is required/],
      [['mtls-certs', 'upload', '--chain', 'missing.pem'], /missing\.pem does not exist\./],
      [['access-roots', 'update-settings', '--settings', 'not-json.json'], /not-json\.json is not JSON/],
      [['access-roots', 'list', '--zone', zone().name, '--account', fx.sb.account.id], /give --zone or --account, not both/],
      [['access-roots', 'add', '--name', 'x', '--cert', 'not-a-cert.pem'], /The certificate is damaged or not DER/],
      [['mtls-certs', 'delete'], /give exactly one id/],
      [['gateway', 'list', '--bogus'], /Unknown option '--bogus'/],
    ]
    for (const [argv, message] of cases) {
      const r = await cf(argv)
      expect(r.code, `${argv.join(' ')}: ${r.err}`).toBe(2)
      expect(r.err.split('\n')[0], argv.join(' ')).toMatch(message)
    }
    const asJson = await cf(['gateway', 'create', '--days', '99999', '--json'])
    expect(JSON.parse(asJson.out)).toMatchObject({ error: { code: 'validation' } })
    const after = fx.sb.snapshot()
    expect(after.gatewayCertificates.length).toBe(before.gatewayCertificates.length)
    expect(after.accessCertificates.length).toBe(before.accessCertificates.length)
  })

  test('a token without the permission: exit 1 naming it; an unknown zone: exit 1 naming it', async () => {
    const denied = await cf(['gateway', 'create', '--json'], { token: fx.sb.tokens.readOnly })
    expect(denied.code).toBe(1)
    expect((JSON.parse(denied.out) as { error: { code: string } }).error.code).toBe('cf_permission')
    const unknown = await cf(['hostnames', 'get', '--zone', 'nowhere.example'])
    expect(unknown.code).toBe(1)
    expect(unknown.err).toContain('This token sees no zone "nowhere.example".')
  })
})
