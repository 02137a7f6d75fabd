#!/usr/bin/env node
// The `certdesk` command: runs the CLI built by `npm run build` (out/main/cli.js).
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const built = fileURLToPath(new URL('../out/main/cli.js', import.meta.url))
if (!existsSync(built)) {
  process.stderr.write('certdesk: the CLI is not built yet. Run "npm run build" first.\n')
  process.exit(2)
}
await import(built)
