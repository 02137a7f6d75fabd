/**
 * The doctor over a profile's zones with a scripted source: each zone is asked with its own account's CAs only, an
 * account whose CAs cannot be listed is said (its zones still checked for the managed CA), and a zone that cannot be
 * read is reported with its error and counts as not enforced.
 */
import { describe, expect, it } from 'vitest'
import { type ProfileDoctorSource, doctorProfile } from '../../../src/main/enforcement/profile-doctor'
import { recommendedExpression } from '../../../src/main/enforcement/enforce'
import { AppError } from '../../../src/shared/errors'

const accounts = [
  { id: 'acc-1', name: 'Main' },
  { id: 'acc-2', name: 'Partners' },
]
const zones = [
  { id: 'z1', name: 'example.com', accountId: 'acc-1' },
  { id: 'z2', name: 'example.net', accountId: 'acc-2' },
  { id: 'z3', name: 'example.org' },
]

function source(options: { failAccount?: string; failZone?: string } = {}) {
  const asked: Array<{ zoneId: string; caIds?: string[] }> = []
  const cas: Record<string, Array<{ id: string; name?: string; ca: boolean; type?: string }>> = {
    'acc-1': [
      { id: 'ca-1', name: 'Corp CA', ca: true, type: 'custom' },
      { id: 'gw-1', name: 'Gateway CA - Cloudflare Managed', ca: true, type: 'gateway_managed' },
      { id: 'leaf', ca: false, type: 'custom' },
    ],
    'acc-2': [{ id: 'ca-2', name: 'Partner CA', ca: true, type: 'custom' }],
  }
  const run = (async (key: string, request: { accountId?: string; zoneId?: string; caIds?: string[] }) => {
    if (key === 'mtls.list') {
      if (request.accountId === options.failAccount) throw new AppError('permission_denied', 'The token lacks SSL and Certificates Read.')
      return cas[request.accountId!] ?? []
    }
    asked.push({ zoneId: request.zoneId!, ...(request.caIds ? { caIds: request.caIds } : {}) })
    if (request.zoneId === options.failZone) throw new AppError('permission_denied', 'The token lacks Zone WAF Read.')
    const zone = zones.find((z) => z.id === request.zoneId)!
    const associations = [{ hostname: `api.${zone.name}` }, ...(request.caIds ?? []).map((ca) => ({ hostname: `${ca}.${zone.name}`, ca }))]
    const rules =
      zone.id === 'z1'
        ? [{ id: 'r', description: 'mTLS', action: 'block', expression: recommendedExpression(associations.map((a) => a.hostname)) }]
        : []
    return { zone: zone.name, associations, rules }
  }) as ProfileDoctorSource['run']
  return { asked, source: { listZones: async () => zones, run } satisfies ProfileDoctorSource }
}

describe('doctorProfile', () => {
  it("asks each zone with its own account's CAs (your own CAs only) and judges every zone", async () => {
    const { asked, source: s } = source()
    const report = await doctorProfile(s, { profile: { id: 'p', accounts } })
    expect(asked).toEqual([{ zoneId: 'z1', caIds: ['ca-1'] }, { zoneId: 'z2', caIds: ['ca-2'] }, { zoneId: 'z3' }])
    expect(report.cas).toEqual([
      { id: 'ca-1', name: 'Corp CA', accountId: 'acc-1' },
      { id: 'ca-2', name: 'Partner CA', accountId: 'acc-2' },
    ])
    expect(report.notes).toEqual([
      "The account of example.org is not known, so only the Cloudflare-managed CA's hostnames were checked there.",
    ])
    expect(report.zones.map((z) => [z.zoneId, z.findings.length])).toEqual([
      ['z1', 0],
      ['z2', 2],
      ['z3', 1],
    ])
    expect(report.zones[1]!.hostnames.find((h) => h.hostname === 'ca-2.example.net')).toMatchObject({ ca: 'ca-2', blocksMissing: false })
    expect(report.enforced).toBe(false)
  })

  it('an account whose CAs cannot be listed is said; its zones are still checked for the managed CA', async () => {
    const { asked, source: s } = source({ failAccount: 'acc-2' })
    const report = await doctorProfile(s, { profile: { id: 'p', accounts }, zoneIds: ['z2'] })
    expect(asked).toEqual([{ zoneId: 'z2' }])
    expect(report.notes).toEqual([
      'The CAs of account Partners could not be listed (The token lacks SSL and Certificates Read.); only the hostnames of each ' +
        "zone's Cloudflare-managed CA were checked there.",
    ])
    expect(report.zones[0]!.hostnames.map((h) => h.hostname)).toEqual(['api.example.net'])
  })

  it('a zone that cannot be read carries its error and is not enforced; a profile of one account owns every zone', async () => {
    const { asked, source: s } = source({ failZone: 'z1' })
    const report = await doctorProfile(s, { profile: { id: 'p', accounts: [accounts[0]!] }, zoneIds: ['z1', 'z3'] })
    expect(asked).toEqual([
      { zoneId: 'z1', caIds: ['ca-1'] },
      { zoneId: 'z3', caIds: ['ca-1'] },
    ])
    expect(report.zones[0]).toEqual({
      zoneId: 'z1',
      zone: 'example.com',
      hostnames: [],
      findings: [],
      error: { code: 'permission_denied', message: 'The token lacks Zone WAF Read.' },
    })
    expect(report.notes).toEqual([])
    expect(report.enforced).toBe(false)
  })
})
