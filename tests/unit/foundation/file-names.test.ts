import { describe, expect, test } from 'vitest'
import { safeFileName } from '../../../src/shared/file-names'

describe('safeFileName: one sanitiser for every export name', () => {
  test('keeps letters and digits of every script', () => {
    expect(safeFileName('Zürich gateway')).toBe('Zürich_gateway')
    expect(safeFileName('Łódź-device_7')).toBe('Łódź-device_7')
    expect(safeFileName('東京 サーバー 2')).toBe('東京_サーバー_2')
    expect(safeFileName('Ελλάδα.pem')).toBe('Ελλάδα.pem')
  })

  test('composes decomposed accents (NFD from macOS) so the name stays a letter', () => {
    expect(safeFileName('Zu\u0308rich')).toBe('Zürich')
  })

  test('strips path separators, traversal and control characters', () => {
    expect(safeFileName('../../etc/passwd')).toBe('etc_passwd')
    expect(safeFileName('a\\b/c')).toBe('a_b_c')
    expect(safeFileName('line\nbreak\u0000nul\ttab')).toBe('line_break_nul_tab')
    expect(safeFileName('what<>:"|?*now')).toBe('what_now')
    expect(safeFileName('.hidden')).toBe('hidden')
  })

  test('never empty, never a Windows device name, at most 120 characters', () => {
    expect(safeFileName('///', 'certificate')).toBe('certificate')
    expect(safeFileName('')).toBe('export')
    expect(safeFileName('CON')).toBe('CON_')
    expect(safeFileName('lpt1')).toBe('lpt1_')
    expect([...safeFileName('é'.repeat(300))]).toHaveLength(120)
  })
})
