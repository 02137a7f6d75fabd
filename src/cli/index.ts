/** `certdesk` — the command line. Plain Node: the same services as the app, never Electron. */
import { createInterface } from 'node:readline/promises'
import { runCli } from './run'
import { CLI_VERSION } from './version'

const argv = process.argv.slice(2)
// @peculiar/x509 needs reflect-metadata loaded once, before any command module (they are loaded
// later, on demand); it finds Node's WebCrypto (globalThis.crypto) itself. `--version` needs neither.
if (argv[0] !== '--version' && argv[0] !== '-v') await import('reflect-metadata')

// `certdesk … | head`: a reader that stops early is not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0)
    throw error
  })
}

const code = await runCli(
  argv,
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
