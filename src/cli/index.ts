/** `certdesk` — the command line. Plain Node: the same services as the app, never Electron. */
// @peculiar/x509 needs reflect-metadata loaded once; it finds Node's WebCrypto (globalThis.crypto) itself.
import 'reflect-metadata'
import { createInterface } from 'node:readline/promises'
import { runCli } from './run'
import { CLI_VERSION } from './version'

// `certdesk … | head`: a reader that stops early is not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0)
    throw error
  })
}

const code = await runCli(
  process.argv.slice(2),
  {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
    cwd: process.cwd(),
    ...(process.stdin.isTTY
      ? {
          confirm: async (question: string) => {
            const rl = createInterface({ input: process.stdin, output: process.stderr })
            try {
              return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim())
            } finally {
              rl.close()
            }
          },
        }
      : {}),
  },
  CLI_VERSION,
)
process.exitCode = code
