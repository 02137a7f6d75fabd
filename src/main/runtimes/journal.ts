/**
 * The runtime fixer's journal: every file the fix touches is copied aside before its first change, and the
 * journal (0600, in the user-data folder: it names files in the user's home) is saved after each step, so an
 * undo works after a fix that stopped half-way. Undo puts each file back byte for byte, or, when the user
 * changed it since, takes out only what Certdesk put in (the marked block, git's http.sslCAInfo).
 */
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { z } from 'zod'
import { AppError } from '../../shared/errors'
import { writeFileAtomic } from '../storage/json-file'
import type { RuntimeLayout } from './layout'

export const RUNTIMES = ['node', 'python', 'git', 'java'] as const
export type FixRuntime = (typeof RUNTIMES)[number]

/**
 * - `owned`: a file Certdesk made in its own folder (bundle, env file, cacerts copy): undo removes it;
 * - `profile`: a shell start-up file holding the marked block;
 * - `gitconfig`: the user's global git configuration.
 */
const TouchedFile = z.object({
  path: z.string(),
  kind: z.enum(['owned', 'profile', 'gitconfig']),
  existed: z.boolean(),
  /** The copy taken before the first change (absent when the file did not exist). */
  backup: z.string().optional(),
  mode: z.number().int().optional(),
  before: z.string().optional(),
  /** SHA-256 after Certdesk's last write: undo restores the backup only while the file still has it. */
  after: z.string().optional(),
})
export type TouchedFile = z.infer<typeof TouchedFile>

const JournalData = z.object({
  version: z.literal(1),
  root: z.object({ sha256: z.string(), subject: z.string(), pem: z.string() }),
  /** The runtimes fixed (a failed one is not listed). */
  runtimes: z.array(z.enum(RUNTIMES)),
  files: z.array(TouchedFile),
  /** git's http.sslCAInfo before the fix (null: unset). */
  gitPrevious: z.string().nullable().optional(),
  /** The JDK whose cacerts was copied. */
  javaHome: z.string().optional(),
  fixedAt: z.string(),
})
export type JournalData = z.infer<typeof JournalData>

export const sha256File = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex')

function readIfExists(path: string): Buffer | null {
  try {
    return readFileSync(path)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw error
  }
}

export class Journal {
  private constructor(
    readonly layout: RuntimeLayout,
    readonly data: JournalData,
  ) {}

  /** The journal of a fix in place, or null. A damaged journal is an error: undo must not guess. */
  static load(layout: RuntimeLayout): Journal | null {
    const text = readIfExists(layout.journal)
    if (text === null) return null
    const parsed = JournalData.safeParse(safeJson(text.toString('utf8')))
    if (!parsed.success) {
      throw new AppError('storage_corrupt', `The runtime fix journal ${layout.journal} cannot be read.`, {
        hint: 'Restore the files it lists by hand from the backups folder beside it, then delete it.',
      })
    }
    return new Journal(layout, parsed.data)
  }

  static start(layout: RuntimeLayout, root: JournalData['root'], now: Date): Journal {
    mkdirSync(layout.backups, { recursive: true, mode: 0o700 })
    const journal = new Journal(layout, { version: 1, root, runtimes: [], files: [], fixedAt: now.toISOString() })
    journal.save()
    return journal
  }

  save(): void {
    writeFileAtomic(this.layout.journal, `${JSON.stringify(this.data, null, 2)}\n`, 0o600)
  }

  entry(path: string): TouchedFile | undefined {
    return this.data.files.find((f) => f.path === path)
  }

  /** Copies the file aside before Certdesk first changes it (once: a second fix keeps the first backup). */
  touch(path: string, kind: TouchedFile['kind']): void {
    if (this.entry(path)) return
    const bytes = readIfExists(path)
    const file: TouchedFile = { path, kind, existed: bytes !== null }
    if (bytes !== null) {
      file.backup = join(this.layout.backups, `${this.data.files.length}-${sha256File(Buffer.from(path)).slice(0, 12)}`)
      file.mode = statSync(path).mode & 0o7777
      file.before = sha256File(bytes)
      writeFileAtomic(file.backup, bytes, 0o600)
    }
    this.data.files.push(file)
    this.save()
  }

  /** Writes a file Certdesk changes (backed up first) and records what it wrote. */
  write(path: string, kind: TouchedFile['kind'], content: string | Buffer): void {
    this.touch(path, kind)
    const entry = this.entry(path) as TouchedFile
    const bytes = Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8')
    const current = readIfExists(path)
    if (!current || !current.equals(bytes)) put(entry, bytes)
    this.recordAfter(path)
  }

  /** Records the file's state after a tool (git, keytool) changed it. */
  recordAfter(path: string): void {
    const entry = this.entry(path)
    if (!entry) return
    const bytes = readIfExists(path)
    if (bytes) entry.after = sha256File(bytes)
    else delete entry.after
    this.save()
  }

  remove(): void {
    rmSync(this.layout.journal, { force: true })
    rmSync(this.layout.backups, { recursive: true, force: true })
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return null
  }
}

/** What undo did with one file. */
export interface UndoneFile {
  path: string
  action: 'restored' | 'removed' | 'unchanged' | 'block-removed' | 'setting-removed' | 'kept'
  note?: string
}

/** Whether the file still holds what Certdesk last wrote (or was never written by it). */
export function untouchedSince(entry: TouchedFile): boolean {
  const bytes = readIfExists(entry.path)
  if (entry.after === undefined) return bytes === null ? !entry.existed : entry.before === sha256File(bytes)
  return bytes !== null && sha256File(bytes) === entry.after
}

/** Puts one file back as it was: the backup's bytes and mode, or no file. */
export function restoreFile(entry: TouchedFile): UndoneFile['action'] {
  if (!entry.existed) {
    if (!existsSync(entry.path)) return 'unchanged'
    rmSync(entry.path, { force: true })
    return 'removed'
  }
  const bytes = readFileSync(entry.backup as string)
  const current = readIfExists(entry.path)
  if (current?.equals(bytes)) return 'unchanged'
  put(entry, bytes)
  return 'restored'
}

/**
 * Certdesk's own files are replaced atomically; the user's (profiles, git config) are written in place, so a
 * symlinked ~/.bashrc (a dotfiles repository) stays a symlink and the file keeps its owner and mode.
 */
function put(entry: TouchedFile, bytes: Buffer): void {
  if (entry.kind === 'owned') writeFileAtomic(entry.path, bytes, 0o600)
  else writeFileSync(entry.path, bytes, { mode: entry.mode ?? 0o644 })
}
