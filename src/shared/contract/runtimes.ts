/** `runtimes:*`: make Node, Python, git and Java trust a root for this user (certdesk trust fix-runtimes), and undo it. */
import { z } from 'zod'
import { MAX_PEM_FIELD_CHARS, PEM_FIELD_TOO_LONG } from '../pem'
import { req } from './fields'

export const FixRuntime = z.enum(['node', 'python', 'git', 'java'])
export type FixRuntimeName = z.infer<typeof FixRuntime>

export const RuntimeFix = z.object({
  runtime: FixRuntime,
  /** `already`: fixed before, checked again; `skipped`: not installed here. */
  status: z.enum(['fixed', 'already', 'failed', 'skipped']),
  message: z.string(),
  hint: z.string().optional(),
})
export type RuntimeFix = z.infer<typeof RuntimeFix>

const RootRef = z.object({ subject: z.string(), sha256: z.string() })

export const RuntimeFixReport = z.object({
  root: RootRef,
  bundle: z.string(),
  envFile: z.string(),
  /** The shell start-up files holding the block that sources the env file. */
  profiles: z.array(z.string()),
  fixes: z.array(RuntimeFix),
  journal: z.string(),
})
export type RuntimeFixReport = z.infer<typeof RuntimeFixReport>

export const RuntimeUndoReport = z.object({
  root: RootRef.optional(),
  files: z.array(
    z.object({
      path: z.string(),
      action: z.enum(['restored', 'removed', 'unchanged', 'block-removed', 'setting-removed', 'kept']),
      note: z.string().optional(),
    }),
  ),
  note: z.string().optional(),
})
export type RuntimeUndoReport = z.infer<typeof RuntimeUndoReport>

const RootPem = z.string().min(1).max(MAX_PEM_FIELD_CHARS, PEM_FIELD_TOO_LONG)

export const runtimesContract = {
  'runtimes:fix': { request: req({ certificatePem: RootPem, runtimes: z.array(FixRuntime).min(1).max(4) }), response: RuntimeFixReport },
  'runtimes:undo': { request: req({ certificatePem: RootPem }), response: RuntimeUndoReport },
} as const
