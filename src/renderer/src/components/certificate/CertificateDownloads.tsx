import { useState } from 'react'
import { useAppStore } from '../../store'

type CertificateFormat = 'certificate-pem' | 'certificate-der'

/**
 * Save any certificate the app shows as PEM or DER (.cer). Every certificate download goes through
 * main's save dialog (certificates:save), like key exports: one path, written atomically, and
 * recorded in the activity log as certificate.save.
 */
export function CertificateDownloads({ pem, name, label = 'Certificate' }: { pem: string | undefined; name: string; label?: string }) {
  const save = useAppStore((s) => s.saveCertificate)
  const [busy, setBusy] = useState(false)
  const run = async (format: CertificateFormat) => {
    if (!pem) return
    setBusy(true)
    await save(pem, format, name)
    setBusy(false)
  }
  return (
    <div className="form-actions" role="group" aria-label={`${label} downloads`}>
      <button type="button" disabled={busy || !pem} onClick={() => void run('certificate-pem')}>
        Save certificate (PEM)
      </button>
      <button type="button" disabled={busy || !pem} onClick={() => void run('certificate-der')}>
        Save certificate (DER, .cer)
      </button>
    </div>
  )
}
