/**
 * One JSON document on disk, validated by a zod schema, written atomically.
 *
 * Why not electron-store/conf: their schemas are JSON Schema (a second schema language beside the
 * zod contract), and a corrupt file either throws or is silently cleared. Here a file that fails to
 * parse or validate is moved aside (kept for the user), reported, and replaced by defaults.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { randomBytes } from 'node:crypto'
import type { z } from 'zod'
import { AppError } from '../../shared/errors'
import type { StorageProblem } from '../../shared/model'

/** Write `data` to `path` so that a crash leaves either the old file or the new one, never half of one. */
export function writeFileAtomic(path: string, data: string | Uint8Array, mode = 0o600): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 })
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`)
  const fd = openSync(temp, 'wx', mode)
  try {
    writeSync(fd, typeof data === 'string' ? Buffer.from(data, 'utf8') : data)
    fsyncSync(fd)
  } catch (error) {
    closeSync(fd)
    rmSync(temp, { force: true })
    throw error
  }
  closeSync(fd)
  try {
    renameSync(temp, path)
  } catch (error) {
    rmSync(temp, { force: true })
    throw error
  }
}

export class JsonFile<S extends z.ZodType> {
  private cache: z.output<S> | undefined
  /** Identity of the file the cache came from: another process (the CLI beside the app) replacing it invalidates the cache. */
  private stamp: string | null = null

  constructor(
    readonly path: string,
    private readonly schema: S,
    private readonly defaults: () => z.output<S>,
    private readonly onProblem: (problem: StorageProblem) => void,
  ) {}

  read(): z.output<S> {
    if (this.cache !== undefined && this.fileStamp() === this.stamp) return this.cache
    this.cache = this.load()
    this.stamp = this.fileStamp()
    return this.cache
  }

  write(value: z.output<S>): z.output<S> {
    const parsed = this.schema.parse(value) as z.output<S>
    writeFileAtomic(this.path, `${JSON.stringify(parsed, null, 2)}\n`)
    this.cache = parsed
    this.stamp = this.fileStamp()
    return parsed
  }

  update(change: (current: z.output<S>) => z.output<S>): z.output<S> {
    return this.write(change(structuredClone(this.read())))
  }

  /** Inode, size and mtime: every atomic write renames a new inode into place. Null when there is no file. */
  private fileStamp(): string | null {
    try {
      const s = statSync(this.path)
      return `${s.ino}:${s.size}:${s.mtimeMs}`
    } catch {
      return null
    }
  }

  private load(): z.output<S> {
    let text: string
    try {
      text = readFileSync(this.path, 'utf8')
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      if (code === 'ENOENT') return this.defaults()
      throw unreadable(this.path, code, error)
    }
    let reason: string
    try {
      const result = this.schema.safeParse(JSON.parse(text))
      if (result.success) return result.data as z.output<S>
      reason = result.error.issues
        .slice(0, 3)
        .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
        .join('; ')
    } catch (error) {
      reason = `not valid JSON (${(error as Error).message})`
    }
    const movedTo = `${this.path}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`
    renameSync(this.path, movedTo)
    this.onProblem({ file: this.path, movedTo, reason, at: new Date().toISOString() })
    return this.defaults()
  }
}

/** A storage file that exists but cannot be read, in the user's words (never a raw EISDIR/EACCES with a stack). */
function unreadable(path: string, code: string | undefined, cause: unknown): AppError {
  switch (code) {
    case 'EISDIR':
      return new AppError('bad_input', `${path} is a folder, not a file, so certdesk cannot read it.`, {
        hint: 'Move or rename that folder; certdesk then starts with a fresh file.',
        cause,
      })
    case 'EACCES':
    case 'EPERM':
      return new AppError('bad_input', `${path} cannot be read: permission denied.`, {
        hint: 'Give your user read and write access to it (it should be yours, mode 600).',
        cause,
      })
    default:
      return new AppError('storage_corrupt', `${path} cannot be read (${code ?? (cause as Error).message}).`, {
        hint: 'Check the disk and the folder, then retry.',
        cause,
      })
  }
}
