/**
 * `certdesk fleet kit ROOT --out DIR`: the fleet kit of a root (MDM profiles, install/verify scripts per OS, Ansible,
 * Firefox policy, runtime snippets, README) written into a new or empty folder. Exit 0 written, 2 bad input (not a
 * CA, expired, a folder that already holds files without --force).
 */
import { buildFleetKit, writeFleetKit } from '../../main/fleet/kit'
import { EXIT_OK, type Command } from '../command'
import { cliPath, flag, positional, readInputFile, required } from '../args'
import { CLI_VERSION } from '../version'

export const fleetCommands: Command[] = [
  {
    path: ['fleet', 'kit'],
    summary: 'Write the files that deploy a root to a fleet (MDM profile, Windows/Linux/macOS scripts, Ansible, Firefox).',
    usage: 'certdesk fleet kit ROOT.pem|ROOT.cer --out DIR [--force] [--json]',
    options: { out: { type: 'string' }, force: { type: 'boolean', default: false } },
    allowPositionals: true,
    run: (ctx) => {
      const file = positional(ctx, 'root certificate file (PEM or DER)')
      const out = cliPath(ctx, required(ctx, 'out', 'DIR (the folder to write the kit into)'))
      const kit = buildFleetKit(readInputFile(ctx, file, 'the root certificate (PEM or DER)'), { version: CLI_VERSION })
      const written = writeFleetKit(kit, out, { overwrite: flag(ctx, 'force') })
      const lines = [
        `Fleet kit for ${kit.root.subject} (SHA-256 ${kit.root.sha256}) in ${out}:`,
        ...kit.files.map((f) => `  ${f.path}`),
        'README.txt says where each file goes.',
      ]
      ctx.print(lines.join('\n'), { folder: out, root: kit.root, files: kit.files.map((f) => f.path), written })
      return EXIT_OK
    },
  },
]
