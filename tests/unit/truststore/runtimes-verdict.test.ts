/** A runtime fix that drifted keeps the app's verdict from "trusted everywhere", as it makes `trust verify` exit 1. */
import { describe, expect, test } from 'vitest'
import type { VerifyReport } from '../../../src/shared/truststore-model'
import { trustVerdict } from '../../../src/shared/trust-verdict'

const report = (drift: boolean): VerifyReport => ({
  fingerprint: { algorithm: 'sha256', hex: 'ab'.repeat(32) },
  lines: [{ storeId: 'linux-system', label: 'System (Debian/Ubuntu)', status: 'trusted' }],
  allTrusted: !drift,
  runtimes: [
    { runtime: 'node', source: 'NODE_EXTRA_CA_CERTS', trusts: true, note: '', fixed: true },
    // Java still trusts it through the cacerts copy, but the JDK changed since the fix.
    { runtime: 'java', source: 'JAVA_TOOL_OPTIONS trustStore', trusts: true, note: 'Drift: the JDK changed', fixed: true, drift },
  ],
})

describe('trustVerdict with the runtime fix', () => {
  test('a drifted runtime is named among those that do not trust the root', () => {
    expect(trustVerdict(report(false)).kind).toBe('trusted')
    const drifted = trustVerdict(report(true))
    expect(drifted.kind).toBe('partly')
    expect(drifted.sentence).toContain('but not by Java')
  })
})
