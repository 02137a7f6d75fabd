import type { parseArgs } from 'node:util'
import { AppError } from '../shared/errors'
import { EXIT_CHECK_FAILED, EXIT_OK, EXIT_USAGE, UsageError, exitCodeFor, type CliIo, type Command } from './command'
import { loadCommands } from './commands'

async function findCommand(argv: string[]): Promise<{ command: Command; rest: string[] } | null> {
  let best: Command | null = null
  for (const command of await loadCommands(argv[0])) {
    if (command.path.every((word, i) => argv[i] === word) && (!best || command.path.length > best.path.length)) best = command
  }
  return best ? { command: best, rest: argv.slice(best.path.length) } : null
}

/** One line per command: its words and what it does. */
function commandList(commands: Command[]): string[] {
  const width = Math.max(...commands.map((c) => c.path.join(' ').length))
  return commands.map((c) => `  ${c.path.join(' ').padEnd(width)}  ${c.summary}`)
}

export async function helpText(version: string): Promise<string> {
  const lines = commandList(await loadCommands())
  return [
    `certdesk ${version} — certificates for Cloudflare mTLS and private PKI`,
    '',
    'Usage: certdesk <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    'Every command takes --json (machine output on stdout) and --help.',
    'Exit codes: 0 success, 1 a check or operation failed, 2 bad input or usage.',
  ].join('\n')
}

export async function runCli(argv: string[], io: CliIo, version: string): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    io.stdout(`${await helpText(version)}\n`)
    return argv.length === 0 ? EXIT_USAGE : EXIT_OK
  }
  if (argv[0] === '--version' || argv[0] === '-v') {
    io.stdout(argv.includes('--json') ? `${JSON.stringify({ version })}\n` : `${version}\n`)
    return EXIT_OK
  }
  const found = await findCommand(argv)
  if (!found) {
    // `certdesk cf --help` (or `certdesk cf gateway`): the commands that start with the words given.
    const flagAt = argv.findIndex((a) => a.startsWith('-'))
    const words = flagAt === -1 ? argv : argv.slice(0, flagAt)
    const group = (await loadCommands(argv[0])).filter((c) => words.length < c.path.length && words.every((w, i) => c.path[i] === w))
    if (group.length) {
      const help = argv.includes('--help') || argv.includes('-h')
      ;(help ? io.stdout : io.stderr)(`Commands of certdesk ${words.join(' ')}:\n${commandList(group).join('\n')}\n`)
      return help ? EXIT_OK : EXIT_USAGE
    }
    io.stderr(`certdesk: unknown command "${argv.join(' ')}". Run "certdesk --help" for the list.\n`)
    return EXIT_USAGE
  }
  const { command, rest } = found
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(`Usage: ${command.usage}\n\n${command.summary}\n`)
    return EXIT_OK
  }
  let parsed: ReturnType<typeof parseArgs>
  try {
    // node:util is loaded here, not at start-up: `certdesk --version` and `--help` never parse flags.
    parsed = process.getBuiltinModule('node:util').parseArgs({
      args: rest,
      options: { json: { type: 'boolean', default: false }, ...command.options },
      allowPositionals: command.allowPositionals ?? false,
      strict: true,
    })
  } catch (error) {
    io.stderr(`certdesk ${command.path.join(' ')}: ${(error as Error).message}\nUsage: ${command.usage}\n`)
    return EXIT_USAGE
  }
  const json = parsed.values['json'] === true
  try {
    return await command.run({
      values: parsed.values,
      positionals: parsed.positionals,
      json,
      io,
      print: (human, data) => io.stdout(json ? `${JSON.stringify(data, null, 2)}\n` : `${human}\n`),
    })
  } catch (error) {
    const prefix = `certdesk ${command.path.join(' ')}`
    if (error instanceof UsageError) {
      io.stderr(`${prefix}: ${error.message}\nUsage: ${command.usage}\n`)
      return EXIT_USAGE
    }
    if (error instanceof AppError) {
      if (json) io.stdout(`${JSON.stringify({ error: error.toShape() }, null, 2)}\n`)
      io.stderr(`${prefix}: ${error.message}${error.hint ? `\n  hint: ${error.hint}` : ''}\n`)
      return exitCodeFor(error)
    }
    io.stderr(`${prefix}: unexpected error: ${(error as Error).stack ?? String(error)}\n`)
    return EXIT_CHECK_FAILED
  }
}
