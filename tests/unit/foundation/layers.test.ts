/** The architecture's import rules are ESLint rules; prove each one rejects a wrong import. */
import { ESLint } from 'eslint'
import { describe, expect, test } from 'vitest'

const eslint = new ESLint()

async function ruleMessages(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath })
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message)
}

describe('layer rules', () => {
  test.each([
    ['src/main/pki/anything.ts', "import { app } from 'electron'\nexport const a = app\n", /Only src\/main\/index.ts/],
    ['src/cli/anything.ts', "import { app } from 'electron'\nexport const a = app\n", /Only src\/main\/index.ts/],
    ['src/renderer/src/anything.ts', "import { readFileSync } from 'node:fs'\nexport const a = readFileSync\n", /renderer has no Node/],
    [
      'src/renderer/src/anything.ts',
      "import { Keychain } from '../../main/secrets/keychain'\nexport const a = Keychain\n",
      /imports only src\/shared/,
    ],
    [
      'src/renderer/src/anything.ts',
      "import { contract } from '../../shared/contract'\nexport const a = contract\n",
      /contract and model types only/,
    ],
    [
      'src/renderer/src/anything.ts',
      "import { LintReport } from '../../shared/lint-model'\nexport const a = LintReport\n",
      /model types only/,
    ],
    ['src/preload/anything.ts', "import { z } from 'zod'\nexport const a = z\n", /only channel names/],
    ['src/shared/anything.ts', "import { join } from 'node:path'\nexport const a = join\n", /no Node APIs/],
    [
      'src/main/truststore/anything.ts',
      "import { detect } from '../pki/detect'\nexport const a = detect\n",
      /load X.509\/PKI\/lint code lazily/,
    ],
    [
      'src/main/truststore/anything.ts',
      "import * as x509 from '@peculiar/x509'\nexport const a = x509\n",
      /load X.509\/PKI\/lint code lazily/,
    ],
    [
      'src/main/truststore/anything.ts',
      "import { decodeCertificate } from '../certs/x509'\nexport const a = decodeCertificate\n",
      /load X.509\/PKI\/lint code lazily/,
    ],
    [
      'src/main/truststore/anything.ts',
      "import { inspectCertificate } from '../lint/inspect'\nexport const a = inspectCertificate\n",
      /load X.509\/PKI\/lint code lazily/,
    ],
    ['src/main/truststore/anything.ts', "import { app } from 'electron'\nexport const a = app\n", /Only src\/main\/index.ts/],
  ])('%s: rejects %j', async (file, code, message) => {
    const messages = await ruleMessages(file, code)
    expect(messages.some((m) => message.test(m))).toBe(true)
  })

  test.each([
    ['src/main/index.ts', "import { app } from 'electron'\nexport const a = app\n"],
    ['src/renderer/src/anything.ts', "import type { Contract } from '../../shared/contract'\nexport type A = Contract\n"],
    ['src/renderer/src/anything.ts', "import { CHANNELS } from '../../shared/channels'\nexport const a = CHANNELS\n"],
    [
      'src/main/truststore/anything.ts',
      "export async function later() {\n  const x509 = await import('@peculiar/x509')\n  return x509\n}\n",
    ],
    [
      'src/main/truststore/anything.ts',
      "import { orderCertificates } from '../certs/chain'\nimport { parseFingerprint } from '../certs/fingerprint'\nexport const a = [orderCertificates, parseFingerprint]\n",
    ],
  ])('%s: allows %j', async (file, code) => {
    expect(await ruleMessages(file, code)).toEqual([])
  })
})
