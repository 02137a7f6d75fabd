/**
 * The only error shape that crosses IPC. Main throws `AppError`; anything else is mapped to
 * `internal` so no stack trace, path or secret reaches the renderer.
 */
export type ErrorCode =
  | 'validation'
  | 'unknown_channel'
  | 'forbidden_sender'
  | 'not_found'
  | 'conflict'
  | 'keychain_unavailable'
  | 'keychain_entry_missing'
  | 'storage_corrupt'
  | 'bad_input'
  | 'cancelled'
  | 'internal'
  | (string & {})

export interface ErrorShape {
  code: ErrorCode
  message: string
  hint?: string
  details?: Record<string, unknown>
}

export class AppError extends Error implements ErrorShape {
  readonly code: ErrorCode
  readonly hint?: string
  readonly details?: Record<string, unknown>

  constructor(code: ErrorCode, message: string, options: { hint?: string; details?: Record<string, unknown>; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'AppError'
    this.code = code
    if (options.hint !== undefined) this.hint = options.hint
    if (options.details !== undefined) this.details = options.details
  }

  toShape(): ErrorShape {
    return {
      code: this.code,
      message: this.message,
      ...(this.hint === undefined ? {} : { hint: this.hint }),
      ...(this.details === undefined ? {} : { details: this.details }),
    }
  }
}

/** What every IPC call resolves to; the renderer client turns `ok:false` back into a thrown AppError. */
export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: ErrorShape }

/** A failure as the renderer keeps and shows it: the user's words, the hint, and the code (`cancelled` is shown calmly). */
export type Failure = Pick<ErrorShape, 'code' | 'message' | 'hint'>

/** What a renderer store action resolves to: its value, or the failure it met (never a throw). */
export type Result<T> = { ok: true; value: T } | { ok: false; error: Failure }
