/**
 * Saves text the renderer built as a file: a blob URL clicked through <a download>. Nothing is
 * fetched, so the CSP's connect-src is untouched; the URL is revoked once the click is handled.
 */
export function downloadText(fileName: string, mimeType: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: mimeType }))
  const a = document.createElement('a')
  a.href = url
  a.download = fileName
  a.rel = 'noopener'
  document.body.append(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}

/** RFC 4180: quote every field that needs it, double the quotes inside, CRLF between records. */
export function toCsv(header: string[], rows: Array<Array<string | number | boolean | null | undefined>>): string {
  const field = (value: string | number | boolean | null | undefined) => {
    const text = value === null || value === undefined ? '' : String(value)
    // A leading = + - @ would be a formula in a spreadsheet: neutralise it (CSV injection).
    const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text
    return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe
  }
  return [header, ...rows].map((r) => r.map(field).join(',')).join('\r\n') + '\r\n'
}
