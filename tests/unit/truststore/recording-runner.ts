/**
 * A command runner that records the exact argument arrays and answers with recorded tool output,
 * for the macOS and Windows backends that cannot run here. It never invents results: every answer
 * comes from tests/fixtures/truststore (real formats around real openssl-made certificates).
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { CommandRunner, RunOptions, RunResult } from '../../../src/main/truststore/exec'

export const FIXTURES = join(__dirname, '../../fixtures/truststore')
export const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8')

export type Handler = (file: string, args: readonly string[], options?: RunOptions) => RunResult | Promise<RunResult>

export class RecordingRunner implements CommandRunner {
  readonly calls: Array<{ file: string; args: string[] }> = []
  constructor(public handler: Handler) {}
  async run(file: string, args: readonly string[], options?: RunOptions): Promise<RunResult> {
    this.calls.push({ file, args: [...args] })
    return this.handler(file, args, options)
  }
}

export const ok = (stdout = ''): RunResult => ({ code: 0, stdout, stderr: '' })
export const fail = (stderr: string, code = 1): RunResult => ({ code, stdout: '', stderr })
