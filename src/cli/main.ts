/** `certdesk` — the command line. Plain Node: the same services as the app, never Electron. */
import { runCli } from './run'
import { CLI_VERSION } from './version'

const argv = process.argv.slice(2)
// @peculiar/x509 needs reflect-metadata loaded once, before it loads; it finds Node's WebCrypto
// (globalThis.crypto) itself. Most command modules reach it, so it is loaded before them, except for the
// one-shot commands that do not (7 ms of a 60 ms run): `--version`, `lint` and `trust` load it only on the
// path that needs it (a file that holds no certificate; a root's lint before `trust install`).
// tests/cli/lazy-load.test.ts holds their modules to it.
const LEAN_COMMANDS: ReadonlySet<string | undefined> = new Set(['--version', '-v', 'lint', 'trust'])
if (!LEAN_COMMANDS.has(argv[0])) await import('reflect-metadata')

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
            const { createInterface } = await import('node:readline/promises')
            const rl = createInterface({ input: process.stdin, output: process.stderr })
            try {
              return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim())
            } finally {
              rl.close()
            }
          },
          secret: async (question: string) => {
            const [{ createInterface }, { Writable }] = await Promise.all([import('node:readline/promises'), import('node:stream')])
            // The question is shown; what is typed is not (the output is muted once the question is written).
            let muted = false
            const output = new Writable({
              write: (chunk: Buffer, _encoding, done) => {
                if (!muted) process.stderr.write(chunk)
                done()
              },
            })
            const rl = createInterface({ input: process.stdin, output, terminal: true })
            try {
              const answer = rl.question(question)
              muted = true
              return await answer
            } finally {
              rl.close()
              process.stderr.write('\n')
            }
          },
        }
      : {}),
  },
  CLI_VERSION,
)
process.exitCode = code
