/**
 * Takes a certificate in any form people have one: a dropped file, a chosen file, or pasted text.
 * Text files are sent as text, anything else as base64 bytes; main decides what it is.
 */
import { useId, useState } from 'react'
import type { CertificateInput } from '../../../../shared/lint-model'
import { fileToCertificateInput } from '../../lib/files'
import { FieldWarning, FileLink } from '../Field'
import { useFileDrop } from './useFileDrop'

/** `onReadError`: a file could not be read, so whatever the last input showed no longer applies. */
export function DropZone({
  label,
  onInput,
  busy,
  onReadError,
}: {
  label: string
  onInput: (input: CertificateInput) => void
  busy?: boolean
  onReadError?: () => void
}) {
  const { over, error, take, clearError, dropProps } = useFileDrop((file) => fileToCertificateInput(file), onInput, onReadError)
  const [pasted, setPasted] = useState('')
  const fileId = useId()
  return (
    <div className={`drop-zone${over ? ' over' : ''}`} {...dropProps} aria-label={label} role="group">
      <p>
        Drop a certificate, chain or bundle here (PEM, DER, .p7b), or{' '}
        <FileLink id={fileId} onFile={take}>
          choose a file
        </FileLink>
      </p>
      <label className="field">
        <span>…or paste PEM text</span>
        <textarea
          rows={4}
          value={pasted}
          onChange={(e) => {
            setPasted(e.target.value)
            clearError()
          }}
          spellCheck={false}
          placeholder="-----BEGIN CERTIFICATE-----"
        />
      </label>
      <div className="form-actions">
        <button
          type="button"
          className="primary"
          disabled={!pasted.trim() || busy}
          onClick={() => {
            clearError()
            onInput({ text: pasted, name: 'The pasted text' })
          }}
        >
          {busy ? 'Checking…' : 'Check pasted text'}
        </button>
      </div>
      <FieldWarning text={error} />
    </div>
  )
}
