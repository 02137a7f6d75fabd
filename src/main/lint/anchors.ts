/** Trust anchors for path validation from this machine's certificate store (`certdesk lint --system`). */
import { getCACertificates } from 'node:tls'
import { pemLabelKind, scanPem } from '../certs/pem'

/** The certificates the operating system trusts (macOS keychain, Windows store, the Linux bundle), as DER. */
export function systemTrustAnchors(): Uint8Array[] {
  return getCACertificates('system').flatMap((pem) =>
    scanPem(pem)
      .filter((b) => pemLabelKind(b.label) === 'certificate')
      .map((b) => new Uint8Array(Buffer.from(b.body, 'base64'))),
  )
}
