/**
 * `reports:save` (the app's "Save report"): main verifies again, asks where in its save dialog, and writes the
 * report and its HTML page; a cancelled dialog writes nothing. Against a throwaway Debian tree.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { hostname, tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { createHandlers } from '../../../src/main/handlers'
import { createServices, type Services } from '../../../src/main/services'
import { detectOptionsFromEnv } from '../../../src/main/truststore'
import { execRunner } from '../../../src/main/truststore/exec'
import { debianRefreshForSysroot } from '../../../src/main/truststore/linux'
import { parseTrustReport } from '../../../src/shared/report-model'
import { safeFileName } from '../../../src/shared/file-names'
import { CertFactory, sha256Hex } from '../../support/cert-factory'
import { UPDATE_CA_CERTIFICATES, makeDebianTree } from '../../support/debian-tree'

const certs = new CertFactory()
let tree: ReturnType<typeof makeDebianTree>
let dir: string
let services: Services
let answer: string | null = null
const asked: string[] = []

beforeAll(async () => {
  tree = makeDebianTree(1)
  expect((await execRunner.run(UPDATE_CA_CERTIFICATES, debianRefreshForSysroot(UPDATE_CA_CERTIFICATES, tree.root).args)).code).toBe(0)
  dir = mkdtempSync(join(tmpdir(), 'certdesk-save-report-'))
  services = createServices({
    userDataDir: join(dir, 'data'),
    appVersion: '9.9.9',
    trust: detectOptionsFromEnv({ CERTDESK_TRUST_ROOT: tree.root, PATH: process.env['PATH'] }),
    dialogs: {
      saveFile: async ({ defaultName }) => {
        asked.push(defaultName)
        return answer
      },
    },
  })
})
afterAll(async () => {
  await services.close()
  tree.cleanup()
  certs.cleanup()
  rmSync(dir, { recursive: true, force: true })
})

test('saves the report where the dialog says (adding .json), with the HTML beside it; cancel writes nothing', async () => {
  const root = certs.root('Saved Root')
  const save = createHandlers(services)['reports:save']
  const context = { emit: () => {} } as unknown as Parameters<typeof save>[1]
  answer = null
  expect(await save({ input: root.pem }, context)).toBeNull()
  answer = join(dir, 'ticket-4711')
  const saved = await save({ input: sha256Hex(root.pem) }, context)
  expect(saved).toEqual({ json: join(dir, 'ticket-4711.json'), html: join(dir, 'ticket-4711.html') })
  expect(asked).toEqual([
    `${safeFileName(`${hostname()}-Saved Root`)}.json`,
    `${safeFileName(hostname())}-${sha256Hex(root.pem).slice(0, 16)}.json`,
  ])
  const report = parseTrustReport(JSON.parse(readFileSync(saved!.json, 'utf8')))
  expect(report).toMatchObject({ generator: { name: 'certdesk', version: '9.9.9' }, root: { sha256: sha256Hex(root.pem).toLowerCase() } })
  expect(report.stores.map((s) => [s.id, s.status])).toEqual([['linux-system', 'missing']])
  expect(existsSync(saved!.html)).toBe(true)
})
