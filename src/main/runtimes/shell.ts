/**
 * The env file and the marked block that sources it from the shell start-up files. A new login shell must see
 * the variables: bash reads the first of ~/.bash_profile, ~/.bash_login, ~/.profile; sh and dash read
 * ~/.profile; zsh reads ~/.zprofile and ~/.zshrc; interactive bash reads ~/.bashrc. The block goes into
 * ~/.profile (made when missing) and into each of the others that exists.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

export const BLOCK_START = '# >>> certdesk runtimes >>>'
export const BLOCK_END = '# <<< certdesk runtimes <<<'

const OPTIONAL_PROFILES = ['.bash_profile', '.bash_login', '.bashrc', '.zprofile', '.zshrc']

/** ~/.profile, then the other start-up files that exist. */
export function profileFiles(home: string): string[] {
  return [join(home, '.profile'), ...OPTIONAL_PROFILES.map((f) => join(home, f)).filter((p) => existsSync(p))]
}

/** A POSIX shell single-quoted word. */
export const shellQuote = (value: string): string => `'${value.replaceAll("'", `'\\''`)}'`

export const exportLine = (name: string, value: string): string => `export ${name}=${shellQuote(value)}`

/** The block: sources the env file when it is there (a removed env file leaves the shell working). */
export function profileBlock(envFile: string): string {
  return [
    BLOCK_START,
    '# Added by Certdesk (certdesk trust fix-runtimes): Node, Python, git and Java trust settings.',
    '# Remove with `certdesk trust fix-runtimes ROOT.pem --undo`.',
    `if [ -f ${shellQuote(envFile)} ]; then . ${shellQuote(envFile)}; fi`,
    BLOCK_END,
  ].join('\n')
}

const blockPattern = (): RegExp => new RegExp(`${escape(BLOCK_START)}[\\s\\S]*?${escape(BLOCK_END)}\\n?`)
const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/** The file's text with the block in place: replaced where it is, else appended on a line of its own. */
export function withBlock(text: string, envFile: string): string {
  const block = `${profileBlock(envFile)}\n`
  if (blockPattern().test(text)) return text.replace(blockPattern(), block)
  const sep = text === '' ? '' : text.endsWith('\n') ? '\n' : '\n\n'
  return `${text}${sep}${block}`
}

/** The file's text without the block (undo when the user changed the file since the fix). */
export function withoutBlock(text: string): string {
  const pattern = new RegExp(`(\\n)?\\n?${escape(BLOCK_START)}[\\s\\S]*?${escape(BLOCK_END)}\\n?`)
  return text.replace(pattern, (_match, newline: string | undefined) => newline ?? '')
}

export function hasBlock(path: string): boolean {
  try {
    return blockPattern().test(readFileSync(path, 'utf8'))
  } catch {
    return false
  }
}

/** The variables an env file written by Certdesk sets (`export NAME='value'` lines; its own format only). */
export function parseEnvFile(text: string): Record<string, string> {
  const vars: Record<string, string> = {}
  for (const line of text.split('\n')) {
    const m = /^export ([A-Z_][A-Z0-9_]*)=('(?:[^']|'\\'')*')$/.exec(line.trim())
    if (m?.[1] && m[2]) vars[m[1]] = m[2].slice(1, -1).replaceAll(`'\\''`, "'")
  }
  return vars
}
