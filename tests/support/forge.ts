// Test fixtures made with the real openssl CLI from config files, in a private mkdtemp directory.
// A few shapes openssl refuses to produce (GeneralizedTime before 2050, inner/outer algorithm
// mismatch, extensions on v1) are made by editing an openssl-made certificate with
// @peculiar/asn1-schema and re-signing it with the issuer's key through node:crypto.
import { createPrivateKey, sign as cryptoSign } from 'node:crypto'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { AsnConvert } from '@peculiar/asn1-schema'
import { Certificate } from '@peculiar/asn1-x509'

export type KeyType = 'ec' | 'rsa1024' | 'rsa2048' | 'ec-explicit' | 'secp256k1' | 'ed25519' | 'ec2'

export interface Issued {
  name: string
  pem: string
  key: string
  der: Uint8Array
}

export interface IssueSpec {
  name: string
  /** openssl -subj; '/' for an empty subject. Defaults to /CN=<name>. */
  subj?: string
  /** Extension lines for the [ext] section; omit for a v1 certificate. */
  ext?: string[]
  key?: KeyType
  /** The CA that signs; self-signed when absent. */
  issuer?: Issued
  serial?: string
  days?: number
  md?: 'sha256' | 'sha1' | 'sha384' | 'md5'
}

export const CA_EXT = [
  'basicConstraints=critical,CA:TRUE',
  'keyUsage=critical,keyCertSign,cRLSign',
  'subjectKeyIdentifier=hash',
  'authorityKeyIdentifier=keyid:always',
]
export const CLIENT_EXT = [
  'basicConstraints=critical,CA:FALSE',
  'keyUsage=critical,digitalSignature',
  'extendedKeyUsage=clientAuth',
  'subjectKeyIdentifier=hash',
  'authorityKeyIdentifier=keyid:always',
]
export const SERVER_EXT = [
  'basicConstraints=critical,CA:FALSE',
  'keyUsage=critical,digitalSignature',
  'extendedKeyUsage=serverAuth',
  'subjectAltName=DNS:app.example.test',
  'subjectKeyIdentifier=hash',
  'authorityKeyIdentifier=keyid:always',
]

export class Forge {
  readonly dir = mkdtempSync(join(tmpdir(), 'certdesk-lint-'))
  private keys = new Map<KeyType, string>()
  private counter = 0

  openssl(...args: string[]): string {
    return execFileSync('openssl', args, { cwd: this.dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
  }

  key(type: KeyType): string {
    const existing = this.keys.get(type)
    if (existing) return existing
    const path = join(this.dir, `key-${type}.pem`)
    if (type === 'ec' || type === 'ec2') this.openssl('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', path)
    else if (type === 'secp256k1') this.openssl('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:secp256k1', '-out', path)
    else if (type === 'ed25519') this.openssl('genpkey', '-algorithm', 'ed25519', '-out', path)
    else if (type === 'ec-explicit')
      this.openssl('ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-param_enc', 'explicit', '-out', path)
    else this.openssl('genpkey', '-algorithm', 'RSA', '-pkeyopt', `rsa_keygen_bits:${type === 'rsa1024' ? 1024 : 2048}`, '-out', path)
    this.keys.set(type, path)
    return path
  }

  private keyTypeOf(path: string): KeyType | undefined {
    for (const [type, p] of this.keys) if (p === path) return type
    return undefined
  }

  issue(spec: IssueSpec): Issued {
    const n = ++this.counter
    const key = this.key(spec.key ?? 'ec')
    const csr = join(this.dir, `${n}.csr`)
    const pem = join(this.dir, `${n}-${spec.name}.pem`)
    this.openssl('req', '-new', '-key', key, '-subj', spec.subj ?? `/CN=${spec.name}`, '-out', csr)
    // Ed25519 signs without a separate digest.
    const md = this.keyTypeOf(spec.issuer?.key ?? key) === 'ed25519' ? [] : [`-${spec.md ?? 'sha256'}`]
    // CAs outlive what they sign by a year, so a leaf made a second after its CA never ends after it.
    const days = spec.days ?? (spec.ext?.some((l) => l.includes('CA:TRUE')) ? 730 : 365)
    const args = [
      'x509',
      '-req',
      '-in',
      csr,
      '-out',
      pem,
      ...md,
      '-days',
      String(days),
      '-set_serial',
      spec.serial ?? `0x${(0x1000 + n).toString(16)}5a5a5a5a`,
    ]
    if (spec.ext) {
      const extFile = join(this.dir, `${n}.cnf`)
      // OpenSSL 3.0 adds a subject key identifier by default; "none" keeps fixtures exact.
      const lines = spec.ext.some((l) => l.startsWith('subjectKeyIdentifier')) ? spec.ext : [...spec.ext, 'subjectKeyIdentifier=none']
      writeFileSync(extFile, `[ext]\n${lines.join('\n')}\n`, { mode: 0o600 })
      args.push('-extfile', extFile, '-extensions', 'ext')
    }
    if (spec.issuer) args.push('-CA', spec.issuer.pem, '-CAkey', spec.issuer.key)
    else args.push('-signkey', key)
    this.openssl(...args)
    return { name: spec.name, pem, key: spec.issuer?.key ?? key, der: pemToDer(readFileSync(pem, 'utf8')) }
  }

  /**
   * Edits an openssl-made certificate and re-signs tbsCertificate with `signerKey`, so the result
   * still verifies — for the shapes openssl will not emit.
   */
  edit(base: Issued, name: string, signerKey: string, mutate: (cert: Certificate) => void): Issued {
    const cert = AsnConvert.parse(base.der, Certificate)
    mutate(cert)
    const tbs = Buffer.from(AsnConvert.serialize(cert.tbsCertificate))
    const key = createPrivateKey(readFileSync(signerKey))
    cert.signatureValue = new Uint8Array(cryptoSign('sha256', tbs, key)).buffer
    const der = new Uint8Array(AsnConvert.serialize(cert))
    const pem = join(this.dir, `${++this.counter}-${name}.pem`)
    writeFileSync(pem, derToPem(der), { mode: 0o600 })
    return { name, pem, key: signerKey, der }
  }

  write(name: string, content: string | Uint8Array): string {
    const path = join(this.dir, name)
    writeFileSync(path, content, { mode: 0o600 })
    return path
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true })
  }
}

export function pemToDer(pem: string): Uint8Array {
  const m = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/.exec(pem)
  if (!m) throw new Error('no certificate in PEM')
  return new Uint8Array(Buffer.from(m[1]!, 'base64'))
}

export function derToPem(der: Uint8Array): string {
  const b64 = Buffer.from(der).toString('base64').replace(/.{64}/g, '$&\n').replace(/\n$/, '')
  return `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`
}
