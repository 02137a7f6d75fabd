/**
 * Test certificates made by real tools: openssl for roots and leaves (req -x509 with CA
 * extensions, x509 -req for leaves), @peculiar/x509 only where openssl 3.0 cannot (a root that
 * already expired). Each helper writes into a private temp folder the caller removes.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as x509 from '@peculiar/x509'

export interface TestCert {
  pem: string
  keyPem: string
  certPath: string
  keyPath: string
}

/** The extensions a root CA needs (Cloudflare docs: Deploy custom certificate): both critical. */
export const ROOT_EXT = ['basicConstraints=critical,CA:TRUE', 'keyUsage=critical,keyCertSign,cRLSign'] as const

export interface RootOptions {
  /** openssl `-subj`, e.g. `/CN=Test Root/O=Certdesk Test`. */
  subject: string
  /** 30 unless given. */
  days?: number
  /** `-newkey`: `ec` (P-256, the default) or `rsa:2048` and the like. */
  key?: string
  /** Each one an `-addext`: ROOT_EXT for a proper root, fewer (or other) for a root a check must refuse. None unless given. */
  ext?: readonly string[]
  /** More arguments, e.g. `-set_serial 7`. */
  extra?: readonly string[]
}

/**
 * A self-signed certificate of a new key made by openssl (`req -x509 -newkey …`), the independent referee: the key
 * goes to `keyPath`, the certificate to `certPath`.
 */
export function opensslRoot(certPath: string, keyPath: string, options: RootOptions): TestCert {
  const key = options.key ?? 'ec'
  const keyArgs = key === 'ec' ? ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'] : ['-newkey', key]
  execFileSync(
    'openssl',
    [
      ...['req', '-x509', ...keyArgs, '-nodes', '-keyout', keyPath, '-out', certPath],
      ...['-days', String(options.days ?? 30), '-subj', options.subject],
      ...(options.ext ?? []).flatMap((e) => ['-addext', e]),
      ...(options.extra ?? []),
    ],
    { stdio: 'pipe' },
  )
  return { pem: readFileSync(certPath, 'utf8'), keyPem: readFileSync(keyPath, 'utf8'), certPath, keyPath }
}

/** A new EC P-256 key (to `keyPath`) and its CSR (to `csrPath`, returned) made by openssl `req -new`. */
export function opensslCsr(csrPath: string, keyPath: string, subject: string, extra: readonly string[] = []): string {
  const newKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', keyPath]
  execFileSync('openssl', ['req', '-new', ...newKey, '-out', csrPath, '-subj', subject, ...extra], { stdio: 'pipe' })
  return readFileSync(csrPath, 'utf8')
}

/**
 * The CSR at `csrPath` signed by `issuer` with openssl `x509 -req` (a fresh serial), valid `days` (30 unless given),
 * with the extensions in `ext` (openssl config lines); the certificate goes to `certPath` and is returned.
 */
export function opensslSign(
  csrPath: string,
  issuer: { certPath: string; keyPath: string },
  certPath: string,
  ext: string,
  days = 30,
): string {
  const extPath = `${certPath}.ext`
  writeFileSync(extPath, ext)
  execFileSync(
    'openssl',
    [
      ...['x509', '-req', '-in', csrPath, '-CA', issuer.certPath, '-CAkey', issuer.keyPath, '-CAcreateserial'],
      ...['-days', String(days), '-out', certPath, '-extfile', extPath],
    ],
    { stdio: 'pipe' },
  )
  return readFileSync(certPath, 'utf8')
}

export class CertFactory {
  readonly dir = mkdtempSync(join(tmpdir(), 'certdesk-trust-test-'))
  private n = 0

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true })
  }

  private paths(name: string): { certPath: string; keyPath: string } {
    this.n++
    return { certPath: join(this.dir, `${this.n}-${name}.pem`), keyPath: join(this.dir, `${this.n}-${name}.key`) }
  }

  private read(certPath: string, keyPath: string): TestCert {
    return { pem: readFileSync(certPath, 'utf8'), keyPem: readFileSync(keyPath, 'utf8'), certPath, keyPath }
  }

  root(cn: string, opts: { serial?: number; days?: number; o?: string } = {}): TestCert {
    const { certPath, keyPath } = this.paths('root')
    return opensslRoot(certPath, keyPath, {
      subject: `/CN=${cn}/O=${opts.o ?? 'Certdesk Test'}`,
      days: opts.days ?? 365,
      ext: [...ROOT_EXT, 'subjectKeyIdentifier=hash'],
      extra: opts.serial === undefined ? [] : ['-set_serial', String(opts.serial)],
    })
  }

  /** A TLS server leaf for 127.0.0.1/localhost, or a non-CA certificate to refuse. */
  leaf(issuer: TestCert, cn = 'localhost'): TestCert {
    const { certPath, keyPath } = this.paths('leaf')
    const csrPath = `${certPath}.csr`
    opensslCsr(csrPath, keyPath, `/CN=${cn}`)
    const ext =
      'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n' +
      'subjectAltName=DNS:localhost,IP:127.0.0.1\n'
    opensslSign(csrPath, issuer, certPath, ext)
    return this.read(certPath, keyPath)
  }

  csr(): string {
    return this.keyedCsr('request').csr
  }

  /** A P-256 CSR for `/CN=<cn>` and its key (which never leaves the test's temp folder). */
  keyedCsr(cn: string): { csr: string; keyPem: string } {
    const { certPath, keyPath } = this.paths('csr')
    return { csr: opensslCsr(certPath, keyPath, `/CN=${cn}`), keyPem: readFileSync(keyPath, 'utf8') }
  }

  /** openssl 3.0 cannot back-date `req -x509`, so the expired root comes from @peculiar/x509. */
  async expiredRoot(cn: string): Promise<string> {
    const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' }
    const keys = await crypto.subtle.generateKey(alg, true, ['sign', 'verify'])
    const cert = await x509.X509CertificateGenerator.createSelfSigned({
      serialNumber: '01',
      name: `CN=${cn}`,
      notBefore: new Date(Date.now() - 400 * 86_400_000),
      notAfter: new Date(Date.now() - 30 * 86_400_000),
      signingAlgorithm: alg,
      keys,
      extensions: [
        new x509.BasicConstraintsExtension(true, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      ],
    })
    return cert.toString('pem')
  }

  write(name: string, contents: string | Buffer): string {
    const path = join(this.dir, name)
    writeFileSync(path, contents)
    return path
  }
}

export function sha256Hex(pem: string): string {
  const out = execFileSync('openssl', ['x509', '-noout', '-fingerprint', '-sha256'], { input: pem }).toString()
  return out.split('=')[1]!.replace(/:/g, '').trim()
}

export function sha1Hex(pem: string): string {
  const out = execFileSync('openssl', ['x509', '-noout', '-fingerprint', '-sha1'], { input: pem }).toString()
  return out.split('=')[1]!.replace(/:/g, '').trim()
}
