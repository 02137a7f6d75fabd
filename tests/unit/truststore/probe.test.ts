import { describe, expect, it } from 'vitest'
import { explainVerifyError, parseHostPort } from '../../../src/main/truststore/probe'

describe('probe helpers', () => {
  it('explains OpenSSL verify codes in words and keeps the code', () => {
    const error = Object.assign(new Error('self-signed certificate in certificate chain'), { code: 'SELF_SIGNED_CERT_IN_CHAIN' })
    expect(explainVerifyError(error)).toBe(
      'The chain ends in a root this machine does not trust (a private or inspection root that is not installed) [SELF_SIGNED_CERT_IN_CHAIN]',
    )
    expect(explainVerifyError('CERT_HAS_EXPIRED')).toBe('A certificate in the chain has expired [CERT_HAS_EXPIRED]')
    // Unknown codes are passed through as OpenSSL said them, not hidden.
    expect(explainVerifyError(Object.assign(new Error('unsupported certificate purpose (odd)'), { code: 'SOMETHING_NEW' }))).toBe(
      'unsupported certificate purpose (odd)',
    )
  })

  it('parses HOST[:PORT] with bracketed IPv6 and refuses bad ports', () => {
    expect(parseHostPort('intranet.example.com')).toEqual({ host: 'intranet.example.com', port: 443 })
    expect(parseHostPort('[::1]:8443')).toEqual({ host: '::1', port: 8443 })
    expect(() => parseHostPort('host:70000')).toThrow(/is not HOST or HOST:PORT/)
  })
})
