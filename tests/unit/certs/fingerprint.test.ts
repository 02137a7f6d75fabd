/** Every fingerprint form comes from one DER and reads back, through the one parser, as the same digest; openssl agrees. */
import { afterAll, describe, expect, test } from 'vitest'
import {
  fingerprintForms,
  fingerprintOfPem,
  normaliseFingerprint,
  parseFingerprint,
  sameFingerprint,
} from '../../../src/main/certs/fingerprint'
import { createRootCa } from '../../../src/main/pki/ca'
import { openssl, tempDir } from '../../support/tools'

const dir = tempDir('certdesk-fp-')
afterAll(() => dir.remove())

describe('fingerprint forms', () => {
  test('each form matches openssl and parses back to the same hex', async () => {
    const root = await createRootCa({ cn: 'Fingerprint Root', keyType: 'ec-p256', days: 2 })
    const file = dir.file('root.pem', root.certificatePem)
    const der = Buffer.from(
      root.certificatePem
        .split('\n')
        .filter((l) => !l.startsWith('-----'))
        .join(''),
      'base64',
    )
    const forms = fingerprintForms(der)
    for (const algorithm of ['sha256', 'sha1', 'md5'] as const) {
      const res = await openssl(['x509', '-in', file, '-noout', '-fingerprint', `-${algorithm}`])
      expect(res.code, res.stderr).toBe(0)
      expect(res.stdout.trim().split('=')[1]!.replace(/:/g, '').toLowerCase()).toBe(forms[algorithm])
    }
    const written = [
      [forms.windowsThumbprint, 'sha1'],
      [`\u200e${forms.windowsThumbprint}`, 'sha1'],
      [forms.macosSha256, 'sha256'],
      [forms.macosSha1, 'sha1'],
      [forms.cloudflareSha256, 'sha256'],
      [forms.cloudflareMd5, 'md5'],
      [forms.sha256, 'sha256'],
    ] as const
    for (const [text, algorithm] of written) {
      expect(parseFingerprint(text)).toMatchObject({ algorithm, hex: forms[algorithm].toUpperCase() })
    }
    expect(fingerprintOfPem(root.certificatePem)).toBe(forms.cloudflareSha256)
    expect(normaliseFingerprint(forms.macosSha256)).toBe(forms.cloudflareSha256)
    expect(sameFingerprint(forms.sha256, forms.cloudflareSha256)).toBe(true)
    expect(normaliseFingerprint(forms.cloudflareMd5)).toBeNull()
  })
})
