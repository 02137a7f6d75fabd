import { writeFileSync } from 'node:fs'
import { beforeEach, describe, expect, it } from 'vitest'
import { parseRootForInstall } from '../../../src/main/truststore/certificates'
import {
  DarwinStore,
  OSASCRIPT,
  SECURITY,
  SYSTEM_KEYCHAIN,
  SYSTEM_ROOTS_KEYCHAIN,
  parseFindCertificate,
  parseTrustSettings,
} from '../../../src/main/truststore/darwin'
import { parsePlist } from '../../../src/main/truststore/plist'
import { RecordingRunner, fail, fixture, ok } from './recording-runner'
import { sha1Hex, sha256Hex } from '../../support/cert-factory'

const pem = (name: string) => fixture(`${name}.pem`)
const LOGIN = '/Users/helpdesk/Library/Keychains/login.keychain-db'

/** The macOS machine as recorded: which keychain holds what, and the trust-settings plists. */
class FakeMac {
  keychains: Record<string, string> = {
    [SYSTEM_ROOTS_KEYCHAIN]: fixture('darwin-system-roots.find-certificate.txt'),
    [SYSTEM_KEYCHAIN]: fixture('darwin-system.find-certificate.txt'),
    [LOGIN]: fixture('darwin-login.find-certificate.txt'),
  }
  admin: string | null = fixture('darwin-admin.trust-settings.plist')
  user: string | null = fixture('darwin-user.trust-settings.plist')
  runner = new RecordingRunner((file, args) => {
    if (file !== SECURITY) return fail(`unexpected ${file}`)
    if (args[0] === 'find-certificate') return ok(this.keychains[args[4] ?? ''] ?? '')
    if (args[0] === 'trust-settings-export') {
      const plist = args[1] === '-d' ? this.admin : this.user
      if (plist === null) return fail('SecTrustSettingsCreateExternalRepresentation: No Trust Settings were found.')
      writeFileSync(args.at(-1)!, plist)
      return ok('Trust settings exported.\n')
    }
    return fail(`unexpected security ${args[0]}`)
  })
}

let mac: FakeMac
beforeEach(() => {
  mac = new FakeMac()
})

describe('macOS output parsing (recorded formats)', () => {
  it('parses find-certificate -a -Z -p with SHA-256 and SHA-1 lines matching the embedded certificates', () => {
    const records = parseFindCertificate(fixture('darwin-system.find-certificate.txt'))
    expect(records.map((r) => r.sha256)).toEqual(['root-a', 'root-b', 'root-d'].map((n) => sha256Hex(pem(n))))
    expect(records.map((r) => r.sha1)).toEqual(['root-a', 'root-b', 'root-d'].map((n) => sha1Hex(pem(n))))
  })

  it('reads trust settings: policies with results, the empty array meaning "always trust", and Deny', () => {
    const admin = parseTrustSettings(fixture('darwin-admin.trust-settings.plist'))
    expect(admin.get(sha1Hex(pem('root-a')))).toBe('trust')
    expect(admin.get(sha1Hex(pem('root-d')))).toBe('deny')
    expect(admin.has(sha1Hex(pem('root-b')))).toBe(false)
    expect(parseTrustSettings(fixture('darwin-user.trust-settings.plist')).get(sha1Hex(pem('root-c')))).toBe('trust')
    const doc = parsePlist(fixture('darwin-admin.trust-settings.plist')) as Record<string, unknown>
    expect(doc['trustVersion']).toBe(1)
  })

  it('reads plist scalar types and entities, and rejects non-plists', () => {
    expect(
      parsePlist(
        '<plist><dict><key>a&amp;b</key><string>x &lt; y</string><key>t</key><true/><key>r</key><real>1.5</real><key>d</key><data>AQI=</data><key>e</key><array/></dict></plist>',
      ),
    ).toEqual({ 'a&b': 'x < y', t: true, r: 1.5, d: Buffer.from([1, 2]), e: [] })
    expect(() => parsePlist('<html></html>')).toThrow(/property list/)
  })
})

describe('macOS System keychain store', () => {
  it('lists Apple roots as trusted, Fixture A trusted, B present-not-trusted, D and a denied Apple root not trusted', async () => {
    const store = new DarwinStore({ scope: 'system', runner: mac.runner, home: '/Users/helpdesk' })
    const entries = await store.list()
    const by = (name: string) => entries.find((e) => e.sha256 === sha256Hex(pem(name)))
    expect(by('builtin-0')).toMatchObject({ trust: 'trusted', origin: 'distro', location: SYSTEM_ROOTS_KEYCHAIN })
    expect(by('builtin-1')).toMatchObject({ trust: 'present-not-trusted', origin: 'distro' })
    expect(by('root-a')).toMatchObject({ trust: 'trusted', origin: 'local', location: SYSTEM_KEYCHAIN })
    expect(by('root-b')).toMatchObject({ trust: 'present-not-trusted', note: expect.stringMatching(/without trust settings/) })
    expect(by('root-d')).toMatchObject({ trust: 'present-not-trusted', note: expect.stringMatching(/Never Trust/) })
    expect(mac.runner.calls.filter((c) => c.args[0] === 'find-certificate').map((c) => c.args)).toEqual([
      ['find-certificate', '-a', '-Z', '-p', SYSTEM_ROOTS_KEYCHAIN],
      ['find-certificate', '-a', '-Z', '-p', SYSTEM_KEYCHAIN],
    ])
    expect(mac.runner.calls.find((c) => c.args[0] === 'trust-settings-export')?.args).toEqual([
      'trust-settings-export',
      '-d',
      expect.stringMatching(/admin-trust\.plist$/),
    ])
  })

  it('installs for all users through one osascript admin prompt; the PEM is an argument root writes into its own folder', async () => {
    const store = new DarwinStore({ scope: 'system', runner: mac.runner, home: '/Users/helpdesk' })
    const root = parseRootForInstall(Buffer.from(pem('root-c')))
    const base = mac.runner.handler
    mac.runner.handler = (file, args, o) => {
      if (file !== OSASCRIPT) return base(file, args, o)
      // The admin-side effect as recorded: keychain gains the cert, admin trust gains an entry.
      mac.keychains[SYSTEM_KEYCHAIN] += `SHA-256 hash: ${root.summary.sha256}\nSHA-1 hash: ${root.summary.sha1}\n${root.pem}`
      mac.admin = fixture('darwin-user.trust-settings.plist') // holds root-c with an empty settings array
      return ok('')
    }
    const result = await store.install(root)
    expect(result).toMatchObject({ status: 'installed', storeId: 'darwin-system' })
    const call = mac.runner.calls.find((c) => c.file === OSASCRIPT)!
    expect(call.args).toEqual(store.installCommand(root.pem).args)
    const script = call.args[1]!
    expect(script).toMatch(/^do shell script "'\/bin\/sh' '-c' '.*mktemp -d.*' 'certdesk-install' '-----BEGIN CERTIFICATE-----/)
    expect(script).toContain(
      `'/usr/bin/security' 'add-trusted-cert' '-d' '-r' 'trustRoot' '-k' '/Library/Keychains/System.keychain'" with administrator privileges`,
    )
    // Nothing the elevated side reads lies in a folder the user owns.
    expect(script).not.toMatch(/certdesk-trust-|root\.pem'/)
  })

  it('reports a cancelled admin prompt as such, and an already-trusted root as a no-op', async () => {
    const store = new DarwinStore({ scope: 'system', runner: mac.runner, home: '/Users/helpdesk' })
    const base = mac.runner.handler
    mac.runner.handler = (file, args, o) =>
      file === OSASCRIPT ? fail('0:97: execution error: User canceled. (-128)') : base(file, args, o)
    const cancelled = await store.install(parseRootForInstall(Buffer.from(pem('root-c'))))
    expect(cancelled).toMatchObject({ status: 'failed', message: expect.stringMatching(/cancelled/) })
    expect(cancelled.toolOutput).toContain('-128')
    expect((await store.install(parseRootForInstall(Buffer.from(pem('root-a'))))).status).toBe('already-present')
    expect(mac.runner.calls.filter((c) => c.file === OSASCRIPT)).toHaveLength(1)
  })

  it('"installing" a present-but-untrusted root sets trust (B), and removal deletes by SHA-1 with its trust setting (A)', async () => {
    const store = new DarwinStore({ scope: 'system', runner: mac.runner, home: '/Users/helpdesk' })
    const base = mac.runner.handler
    mac.runner.handler = (file, args, o) => {
      if (file !== OSASCRIPT) return base(file, args, o)
      mac.keychains[SYSTEM_KEYCHAIN] = fixture('darwin-system.find-certificate.txt')
        .split('SHA-256 hash:')
        .filter((r) => r && !r.includes(sha256Hex(pem('root-a'))))
        .map((r) => `SHA-256 hash:${r}`)
        .join('')
      return ok('')
    }
    const a = { algorithm: 'sha256' as const, hex: sha256Hex(pem('root-a')) }
    const result = await store.remove(a)
    expect(result.status).toBe('removed')
    const script = mac.runner.calls.find((c) => c.file === OSASCRIPT)!.args[1]!
    expect(script).toMatch(
      /^do shell script "'\/bin\/sh' '-c' '.*remove-trusted-cert -d \\"\$work\/root\.pem\\".*' 'certdesk-remove' '-----BEGIN CERTIFICATE-----/,
    )
    expect(script).toContain(
      `'/usr/bin/security' '${sha1Hex(pem('root-a'))}' '/Library/Keychains/System.keychain' '1'" with administrator privileges`,
    )
    expect(script).not.toMatch(/certdesk-trust-|root\.pem'/)
    expect((await store.remove(a)).status).toBe('not-present')
  })

  it('refuses to remove an Apple built-in root', async () => {
    const store = new DarwinStore({ scope: 'system', runner: mac.runner, home: '/Users/helpdesk' })
    const result = await store.remove({ algorithm: 'sha1', hex: sha1Hex(pem('builtin-0')) })
    expect(result).toMatchObject({ status: 'failed', message: expect.stringMatching(/built-in/) })
    expect(mac.runner.calls.some((c) => c.file === OSASCRIPT)).toBe(false)
  })
})

describe('macOS login keychain store', () => {
  it('uses user trust settings, and treats "no trust settings" as none, not an error', async () => {
    const store = new DarwinStore({ scope: 'login', runner: mac.runner, home: '/Users/helpdesk' })
    expect((await store.find({ algorithm: 'sha256', hex: sha256Hex(pem('root-c')) }))[0]).toMatchObject({
      trust: 'trusted',
      location: LOGIN,
    })
    mac.user = null
    expect((await store.find({ algorithm: 'sha256', hex: sha256Hex(pem('root-c')) }))[0]).toMatchObject({ trust: 'present-not-trusted' })
  })

  it('installs for the current user without admin: security add-trusted-cert -r trustRoot -k login keychain', async () => {
    const store = new DarwinStore({ scope: 'login', runner: mac.runner, home: '/Users/helpdesk' })
    const root = parseRootForInstall(Buffer.from(pem('root-b')))
    const base = mac.runner.handler
    mac.runner.handler = (file, args, o) => {
      if (args[0] !== 'add-trusted-cert') return base(file, args, o)
      mac.keychains[LOGIN] += `SHA-256 hash: ${root.summary.sha256}\nSHA-1 hash: ${root.summary.sha1}\n${root.pem}`
      mac.user = fixture('darwin-user.trust-settings.plist').replace(sha1Hex(pem('root-c')), root.summary.sha1)
      return ok('')
    }
    expect((await store.install(root)).status).toBe('installed')
    expect(mac.runner.calls.find((c) => c.args[0] === 'add-trusted-cert')).toEqual({
      file: SECURITY,
      args: ['add-trusted-cert', '-r', 'trustRoot', '-k', LOGIN, expect.stringMatching(/root\.pem$/)],
    })
    expect(mac.runner.calls.some((c) => c.file === OSASCRIPT)).toBe(false)
  })

  it('a root added but left untrusted is reported as failed with the Keychain Access fix', async () => {
    const store = new DarwinStore({ scope: 'login', runner: mac.runner, home: '/Users/helpdesk' })
    const root = parseRootForInstall(Buffer.from(pem('root-b')))
    const base = mac.runner.handler
    mac.runner.handler = (file, args, o) => {
      if (args[0] !== 'add-trusted-cert') return base(file, args, o)
      mac.keychains[LOGIN] += `SHA-256 hash: ${root.summary.sha256}\nSHA-1 hash: ${root.summary.sha1}\n${root.pem}`
      return ok('')
    }
    const result = await store.install(root)
    expect(result).toMatchObject({
      status: 'failed',
      message: expect.stringMatching(/present, not trusted/),
      hint: expect.stringMatching(/Always Trust/),
    })
  })
})
