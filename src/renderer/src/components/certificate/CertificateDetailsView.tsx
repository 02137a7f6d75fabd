import type { CertificateDetails } from '../../../../shared/lint-model'
import { DataTable, type Column } from '../DataTable'

const dateText = (iso: string) => new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })

const EXTENSION_COLUMNS: Column<CertificateDetails['extensions'][number]>[] = [
  { header: 'Extension', title: (ext) => ext.oid, cell: (ext) => ext.name },
  { header: 'Critical', cell: (ext) => (ext.critical ? 'yes' : 'no') },
  {
    header: 'Value',
    className: 'wrap',
    cell: (ext) => (ext.error ? <span className="warning">{ext.error}</span> : ext.summary.join(', ') || <code>{ext.valueHex}</code>),
  },
]

/** Every decoded field and extension of one certificate, plus the fingerprints each OS shows. */
export function CertificateDetailsView({ details }: { details: CertificateDetails }) {
  const fp = details.fingerprints
  return (
    <div className="cert-details">
      <dl className="facts">
        <dt>Subject</dt>
        <dd>{details.subject.text || <em>empty</em>}</dd>
        <dt>Issuer</dt>
        <dd>{details.issuer.text || <em>empty</em>}</dd>
        <dt>Valid</dt>
        <dd>
          {dateText(details.notBefore)} → {dateText(details.notAfter)}
        </dd>
        <dt>Serial</dt>
        <dd>
          <code>{details.serialNumberHex}</code>
        </dd>
        <dt>Key</dt>
        <dd>
          {details.publicKey.algorithm}
          {details.publicKey.bits ? ` ${details.publicKey.bits} bits` : ''}
          {details.publicKey.curve ? ` (${details.publicKey.curve})` : ''}
        </dd>
        <dt>Signature</dt>
        <dd>{details.signatureAlgorithm.name}</dd>
        <dt>Kind</dt>
        <dd>
          {details.isCa ? 'Certificate authority' : 'End entity'}
          {details.selfSigned ? ', self-signed' : ''}
        </dd>
        {details.subjectAltNames.length ? (
          <>
            <dt>Alternative names</dt>
            <dd>{details.subjectAltNames.map((n) => `${n.type.toUpperCase()}:${n.value}`).join(', ')}</dd>
          </>
        ) : null}
      </dl>
      <h3>Extensions</h3>
      <DataTable
        label="Extensions"
        className="compact"
        columns={EXTENSION_COLUMNS}
        rows={details.extensions}
        rowKey={(ext) => `${ext.oid}-${ext.valueHex.slice(0, 16)}`}
      />
      <h3>Fingerprints</h3>
      <dl className="facts fingerprints">
        <dt>SHA-256 (Cloudflare)</dt>
        <dd>
          <code>{fp.cloudflareSha256}</code>
        </dd>
        <dt>SHA-256 (macOS)</dt>
        <dd>
          <code>{fp.macosSha256}</code>
        </dd>
        <dt>Thumbprint (Windows)</dt>
        <dd>
          <code>{fp.windowsThumbprint}</code>
        </dd>
        <dt>MD5 (Access)</dt>
        <dd>
          <code>{fp.cloudflareMd5}</code>
        </dd>
      </dl>
    </div>
  )
}
