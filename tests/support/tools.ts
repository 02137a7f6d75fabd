/** Test helpers for the PKI domain: a private temp dir and openssl run with argument arrays. */
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)

export interface ToolResult {
  code: number
  stdout: string
  stderr: string
}

export async function tool(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}, input?: string): Promise<ToolResult> {
  try {
    const child = run(cmd, args, { env: { ...process.env, ...env }, maxBuffer: 16 << 20, encoding: 'utf8' })
    if (input !== undefined) {
      child.child.stdin?.end(input)
    }
    const { stdout, stderr } = await child
    return { code: 0, stdout, stderr }
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string }
    return { code: typeof e.code === 'number' ? e.code : 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' }
  }
}

export const openssl = (args: string[], env?: NodeJS.ProcessEnv): Promise<ToolResult> => tool('openssl', args, env)

export interface TempDir {
  path: string
  file(name: string, data?: string | Uint8Array): string
  /** `text` in a new file (0600, named in sequence: f1.pem, f2.pem, …); its path. */
  save(text: string): string
  remove(): void
}

export function tempDir(prefix = 'certdesk-pki-'): TempDir {
  const path = mkdtempSync(join(tmpdir(), prefix))
  let saved = 0
  const file = (name: string, data?: string | Uint8Array): string => {
    const p = join(path, name)
    if (data !== undefined) writeFileSync(p, data, { mode: 0o600 })
    return p
  }
  return {
    path,
    file,
    save: (text) => file(`f${++saved}.pem`, text),
    remove: () => rmSync(path, { recursive: true, force: true }),
  }
}
