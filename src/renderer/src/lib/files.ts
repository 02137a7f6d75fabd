import type { CertificateInput } from '../../../shared/lint-model'
import { looksLikePem, PEM_LIMITS } from '../../../shared/pem'

/**
 * A chosen or dropped file as the certificate channels take it: PEM text as text, anything else as
 * base64 bytes (main decides what it is). Refuses files far larger than any certificate bundle.
 */
export async function fileToCertificateInput(file: File, maxBytes: number = PEM_LIMITS.maxBytes): Promise<CertificateInput> {
  if (file.size > maxBytes)
    throw new Error(
      `${file.name} is ${Math.round(file.size / 1024)} KB; Certdesk reads certificate files of at most ${Math.round(maxBytes / 1024)} KB.`,
    )
  const bytes = new Uint8Array(await file.arrayBuffer())
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes)
  if (looksLikePem(text)) return { text, name: file.name }
  let binary = ''
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return { base64: btoa(binary), name: file.name }
}
