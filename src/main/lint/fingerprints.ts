/** SHA-256/SHA-1/MD5 fingerprints of the DER, in the formats Windows, macOS and Cloudflare show. */
import { createHash } from 'node:crypto'
import type { Fingerprints } from '../../shared/lint-model'

const pairs = (hex: string): string[] => hex.toUpperCase().match(/../g) ?? []

export function fingerprints(der: Uint8Array): Fingerprints {
  const sha256 = createHash('sha256').update(der).digest('hex')
  const sha1 = createHash('sha1').update(der).digest('hex')
  const md5 = createHash('md5').update(der).digest('hex')
  return {
    sha256,
    sha1,
    md5,
    windowsThumbprint: sha1.toUpperCase(),
    macosSha256: pairs(sha256).join(' '),
    macosSha1: pairs(sha1).join(' '),
    cloudflareSha256: pairs(sha256).join(':'),
    cloudflareMd5: `MD5 Fingerprint=${pairs(md5).join(':')}`,
  }
}
