/**
 * `certdesk cf hostnames list|set` against the Sandbox; the official SDK (`cloudflare`), not Certdesk, reads back
 * the associations and makes the concurrent change. The scenarios build on each other, in order.
 */
import { describe, expect, test } from 'vitest'
import { useCfSandbox, type CliOptions } from '../support/cli'

const fx = useCfSandbox('certdesk-cli-hostnames-')

const hostnames = (argv: string[], options: CliOptions = {}) => fx.cf(['hostnames', ...argv], options)

/** The associations as Cloudflare's API returns them, through the SDK. */
async function live(): Promise<string[]> {
  return (await fx.sdk.certificateAuthorities.hostnameAssociations.get({ zone_id: fx.zoneId })).hostnames ?? []
}

interface SetJson {
  current: string[]
  plan: { added: string[]; removed: string[]; kept: string[] }
  hostnames?: string[]
  changed: boolean
}

describe('cf hostnames list|set', () => {
  test('list of a zone with no association says so; --json is an empty list', async () => {
    const r = await hostnames(['list', '--zone', 'example.com'])
    expect(r.code, r.err).toBe(0)
    expect(r.out).toContain('No hostname of example.com asks for a client certificate of the managed CA.')
    const j = await hostnames(['list', '--zone', 'example.com', '--json'])
    expect(JSON.parse(j.out)).toMatchObject({ zone: 'example.com', hostnames: [] })
  })

  test('set two hostnames prints the plan and writes them; list shows both', async () => {
    const r = await hostnames(['set', '--zone', 'example.com', '--hostname', 'api.example.com,shop.example.com'])
    expect(r.code, r.err).toBe(0)
    expect(r.out).toContain('+ api.example.com\n+ shop.example.com')
    expect(r.out).toContain('Saved: 2 hostname(s) of example.com (the managed CA)')
    expect(await live()).toEqual(['api.example.com', 'shop.example.com'])
    const list = await hostnames(['list', '--zone', 'example.com', '--json'])
    expect((JSON.parse(list.out) as { hostnames: string[] }).hostnames).toEqual(['api.example.com', 'shop.example.com'])
    const text = await hostnames(['list', '--zone', fx.zoneId])
    expect(text.out.trim().split('\n')).toEqual(['api.example.com', 'shop.example.com'])
  })

  test('set a third adds it to the list (kept ones untouched, no question asked)', async () => {
    const r = await hostnames(['set', '--zone', 'example.com', '--hostname', 'Devices.Example.com', '--json'])
    expect(r.code, r.err).toBe(0)
    const j = JSON.parse(r.out) as SetJson
    expect(j.plan).toEqual({ added: ['devices.example.com'], removed: [], kept: ['api.example.com', 'shop.example.com'] })
    expect(j.changed).toBe(true)
    expect(await live()).toEqual(['api.example.com', 'shop.example.com', 'devices.example.com'])
  })

  test('set of hostnames already there says nothing to change and writes nothing', async () => {
    const r = await hostnames(['set', '--zone', 'example.com', '--hostname', 'api.example.com'])
    expect(r.code, r.err).toBe(0)
    expect(r.out).toContain('Nothing to change: the hostnames of example.com (the managed CA) are already these.')
    const j = await hostnames(['set', '--zone', 'example.com', '--hostname', 'shop.example.com', '--json'])
    expect(JSON.parse(j.out)).toMatchObject({ changed: false, plan: { added: [], removed: [] } })
    expect(await live()).toEqual(['api.example.com', 'shop.example.com', 'devices.example.com'])
  })

  test('--replace with one that removes two is refused in a script without --yes (exit 2, nothing changed)', async () => {
    const r = await hostnames(['set', '--zone', 'example.com', '--hostname', 'api.example.com', '--replace'])
    expect(r.code).toBe(2)
    expect(r.out).toContain('- shop.example.com\n- devices.example.com')
    expect(r.err).toMatch(/remove shop\.example\.com, devices\.example\.com .*pass --yes to confirm/)
    expect(await live()).toEqual(['api.example.com', 'shop.example.com', 'devices.example.com'])
  })

  test('--replace asked on a terminal: "no" changes nothing (exit 1), "yes" leaves exactly the one given', async () => {
    const questions: string[] = []
    const no = await hostnames(['set', '--zone', 'example.com', '--hostname', 'api.example.com', '--replace'], {
      confirm: async (q) => (questions.push(q), false),
    })
    expect(no.code).toBe(1)
    expect(no.out).toContain('Nothing was changed.')
    expect(questions).toEqual([
      'Remove shop.example.com, devices.example.com from the hostnames of example.com (the managed CA)? ' +
        'They will no longer ask for a client certificate.',
    ])
    expect(await live()).toEqual(['api.example.com', 'shop.example.com', 'devices.example.com'])
    const yes = await hostnames(['set', '--zone', 'example.com', '--hostname', 'api.example.com', '--replace'], {
      confirm: async () => true,
    })
    expect(yes.code, yes.err).toBe(0)
    expect(await live()).toEqual(['api.example.com'])
  })

  test('--replace --yes in a script removes without asking', async () => {
    await fx.sdk.certificateAuthorities.hostnameAssociations.update({
      zone_id: fx.zoneId,
      hostnames: ['api.example.com', 'old.example.com'],
    })
    const r = await hostnames(['set', '--zone', 'example.com', '--hostname', 'api.example.com', '--replace', '--yes', '--json'])
    expect(r.code, r.err).toBe(0)
    expect(JSON.parse(r.out)).toMatchObject({ changed: true, plan: { removed: ['old.example.com'] }, hostnames: ['api.example.com'] })
    expect(await live()).toEqual(['api.example.com'])
  })

  test('a change made between the plan and the write is refused (exit 1) and nothing is lost', async () => {
    await fx.sdk.certificateAuthorities.hostnameAssociations.update({
      zone_id: fx.zoneId,
      hostnames: ['api.example.com', 'shop.example.com'],
    })
    // While the terminal asks, someone else adds a hostname in the dashboard.
    const confirm = async () => {
      await fx.sdk.certificateAuthorities.hostnameAssociations.update({
        zone_id: fx.zoneId,
        hostnames: ['api.example.com', 'shop.example.com', 'late.example.com'],
      })
      return true
    }
    const r = await hostnames(['set', '--zone', 'example.com', '--hostname', 'api.example.com', '--replace', '--json'], { confirm })
    expect(r.code).toBe(1)
    const error = (JSON.parse(r.out) as { error: { code: string; message: string } }).error
    expect(error.code).toBe('conflict')
    expect(error.message).toContain('changed since the plan was made (+late.example.com)')
    expect(await live()).toEqual(['api.example.com', 'shop.example.com', 'late.example.com'])
  })

  test('bad input: an unknown zone, a bad hostname, no --hostname, each one clear line; nothing changed', async () => {
    const zone = await hostnames(['list', '--zone', 'nope.example.org'])
    expect(zone.code).toBe(1)
    expect(zone.err).toContain('This token sees no zone "nope.example.org".')
    const bad = await hostnames(['set', '--zone', 'example.com', '--hostname', 'not a host'])
    expect(bad.code).toBe(2)
    expect(bad.err).toContain('"not a host" is not a hostname.')
    const missing = await hostnames(['set', '--zone', 'example.com'])
    expect(missing.code).toBe(2)
    expect(missing.err).toContain('--hostname is required')
    expect(await live()).toEqual(['api.example.com', 'shop.example.com', 'late.example.com'])
  })
})
