/** `certdesk` — the command line. Plain Node: the same services as the app, never Electron. */
import 'reflect-metadata'
import * as x509 from '@peculiar/x509'
import { runCli } from './run'
import { CLI_VERSION } from './version'

x509.cryptoProvider.set(globalThis.crypto)

const code = await runCli(
  process.argv.slice(2),
  {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
    cwd: process.cwd(),
  },
  CLI_VERSION,
)
process.exitCode = code
