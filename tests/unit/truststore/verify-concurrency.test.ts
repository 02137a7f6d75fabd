/**
 * `trust verify` as a one-shot command (issue 14, "One-shot speed"): the stores asked for, and the runtime
 * checks (Python's certifi lookup and git's config are processes of their own) run concurrently, and the Java
 * store (a JVM start for keytool) is read only when it is asked for. A host probe lists the stores while it
 * shakes hands.
 */
import { afterAll, describe, expect, test } from 'vitest'
import type { StoreDescription } from '../../../src/shared/truststore-model'
import type { StoredCert } from '../../../src/main/truststore/certificates'
import type { Fingerprint } from '../../../src/main/certs/fingerprint'
import { checkRuntimes } from '../../../src/main/truststore/runtimes'
import { TrustService } from '../../../src/main/truststore/service'
import type { TrustStore } from '../../../src/main/truststore/types'
import { RecordingRunner, ok } from './recording-runner'
import { CertFactory } from '../../support/cert-factory'
import { startTlsServer } from '../../support/tls-server'

const FP: Fingerprint = { algorithm: 'sha256', hex: 'AB'.repeat(32) }
/** No CA bundle variables: Python's answer comes from a certifi lookup (a process), git's from its config (another). */
const ENV = { PATH: '/usr/bin:/bin' }

/** Resolves after `ms`, or rejects with `what` when a test would otherwise hang on a serial run. */
const within = <T>(promise: Promise<T>, what: string, ms = 2_000): Promise<T> =>
  Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(what)), ms))])

/** A store that answers a lookup, counting them; `gate` holds its answer until the gate opens. */
class FakeStore implements TrustStore {
  lookups = 0
  constructor(
    readonly id: string,
    private readonly kind: StoreDescription['kind'],
    private readonly holds: boolean,
    private readonly gate: Promise<unknown> = Promise.resolve(),
  ) {}
  describe(): StoreDescription {
    return { id: this.id, kind: this.kind, label: this.id, location: '/x', needsElevation: false, tool: 'x', available: true }
  }
  lists = 0
  async list(): Promise<StoredCert[]> {
    this.lists++
    await this.gate
    return []
  }
  async find(): Promise<StoredCert[]> {
    this.lookups++
    await this.gate
    if (!this.holds) return []
    const facts = { sha256: FP.hex, sha1: '00', subject: 'CN=R', issuer: 'CN=R', serial: '01', notBefore: '', notAfter: '' }
    return [{ ...facts, trust: 'trusted', origin: 'distro' }]
  }
  install(): never {
    throw new Error('not here')
  }
  remove(): never {
    throw new Error('not here')
  }
}

describe('runtime checks', () => {
  test("Python's certifi lookup and git's config run at the same time", async () => {
    let running = 0
    let most = 0
    const runner = new RecordingRunner(async () => {
      most = Math.max(most, ++running)
      await new Promise((r) => setTimeout(r, 50))
      running--
      return ok('')
    })
    const checks = await checkRuntimes(FP, { env: ENV, runner, javaTrusts: null, systemTrusts: true })
    expect(runner.calls.map((c) => c.args[0])).toEqual(['-c', 'config'])
    expect(most).toBe(2)
    expect(checks.map((c) => [c.runtime, c.trusts])).toEqual([
      ['node', false],
      ['python', true],
      ['java', null],
      ['git', true],
    ])
  })

  test('wait for a store verdict only where they fall back to it', async () => {
    let settle: (v: boolean) => void = () => undefined
    const systemTrusts = new Promise<boolean>((r) => (settle = r))
    const runner = new RecordingRunner(() => ok(''))
    const pending = checkRuntimes(FP, { env: ENV, runner, javaTrusts: Promise.resolve(false), systemTrusts })
    // Both processes start before the system store has answered.
    await within(
      (async () => {
        while (runner.calls.length < 2) await new Promise((r) => setTimeout(r, 5))
      })(),
      'the runtime processes waited for the store verdict',
    )
    settle(false)
    expect((await pending).map((c) => [c.runtime, c.trusts])).toEqual([
      ['node', false],
      ['python', false],
      ['java', false],
      ['git', false],
    ])
  })
})

describe('TrustService.verify', () => {
  test('reads the stores while the runtime processes run', async () => {
    let opened = (): void => undefined
    const gate = new Promise<void>((r) => (opened = r))
    // The system store answers only once a runtime process has started: a serial verify never gets there.
    const runner = new RecordingRunner(() => {
      opened()
      return ok('')
    })
    const system = new FakeStore('linux-system', 'system', true, gate)
    const service = new TrustService({ stores: [system], runner, env: ENV, allowFilePaths: false })
    const report = await within(service.verify(FP.hex), 'verify read the stores before starting the runtime checks')
    expect(report.lines.map((l) => l.status)).toEqual(['trusted'])
    expect(report.allTrusted).toBe(true)
  })

  test('reads Java cacerts only when the Java store is asked for', async () => {
    const runner = new RecordingRunner(() => ok(''))
    const java = new FakeStore('java-cacerts', 'java', true)
    const stores = [new FakeStore('linux-system', 'system', true), java]
    const service = new TrustService({ stores, runner, env: ENV, allowFilePaths: false })

    const systemOnly = await service.verify(FP.hex, { storeIds: ['system'] })
    expect(java.lookups).toBe(0)
    expect(systemOnly.lines.map((l) => l.storeId)).toEqual(['linux-system'])
    expect(systemOnly.runtimes.find((r) => r.runtime === 'java')).toMatchObject({
      trusts: null,
      note: expect.stringMatching(/^Not checked: Java's cacerts was not among the stores asked for/),
    })

    const all = await service.verify(FP.hex)
    expect(java.lookups).toBe(1)
    expect(all.runtimes.find((r) => r.runtime === 'java')).toMatchObject({ trusts: true, note: 'The root is in cacerts.' })
  })
})

describe('TrustService.probeHost', () => {
  const certs = new CertFactory()
  afterAll(() => certs.cleanup())

  test('lists every store at the same time, and while it shakes hands', async () => {
    const root = certs.root('Probe Root')
    const leaf = certs.leaf(root)
    const server = await startTlsServer(leaf.pem, leaf.keyPem)
    try {
      let started = (): void => undefined
      const second = new Promise<void>((r) => (started = r))
      // The first store answers only once the second has been asked: a serial listing never gets there.
      const first = new FakeStore('nss:a', 'nss', false, second)
      const other = new FakeStore('nss:b', 'nss', false)
      const list = other.list.bind(other)
      other.list = () => (started(), list())
      const service = new TrustService({ stores: [first, other], env: ENV, allowFilePaths: false })
      const report = await within(
        service.probeHost('127.0.0.1', server.port, { ca: [root.pem], servername: 'localhost' }),
        'the stores were listed one after the other',
      )
      expect(report.verified).toBe(true)
      expect([first.lists, other.lists]).toEqual([1, 1])
    } finally {
      await server.close()
    }
  })
})
