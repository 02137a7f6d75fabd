/**
 * A certificate or chain for an upload: dropped, chosen from disk, or pasted. Gives back the input
 * as the lint channel takes it and as PEM text for the Cloudflare channels (DER is wrapped).
 */
import { useId } from 'react'
import { fileToCertificateInput } from '../../lib/files'
import { inputToPem, type PemValue } from '../../lib/pem'
import { FieldWarning, FileLink, PemTextArea } from '../Field'
import { useFileDrop } from './useFileDrop'

const MAX_BYTES = 1024 * 1024

export type { PemValue }

async function fromFile(file: File): Promise<PemValue> {
  const input = await fileToCertificateInput(file, MAX_BYTES)
  return { input, pem: inputToPem(input), source: file.name }
}

export function PemInput({
  label,
  value,
  onChange,
}: {
  label: string
  value: PemValue | null
  onChange: (value: PemValue | null) => void
}) {
  const { over, error, take, dropProps } = useFileDrop(fromFile, onChange)
  const textId = useId()
  const fileId = useId()
  const pasted = value && value.source === 'the pasted text' ? value.pem : value ? '' : ''
  return (
    <div className={`drop-zone${over ? ' over' : ''}`} role="group" aria-label={label} {...dropProps}>
      <p>
        Drop a PEM or DER file here, or{' '}
        <FileLink id={fileId} accept=".pem,.crt,.cer,.der" onFile={take}>
          choose a file
        </FileLink>
        {value && value.source !== 'the pasted text' ? (
          <>
            {' '}
            — <strong>{value.source}</strong> loaded
          </>
        ) : null}
      </p>
      <PemTextArea
        id={textId}
        label="…or paste PEM text"
        rows={5}
        placeholder="-----BEGIN CERTIFICATE-----"
        value={pasted}
        onChange={(e) =>
          onChange(
            e.target.value.trim()
              ? { input: { text: e.target.value, name: 'The pasted text' }, pem: e.target.value, source: 'the pasted text' }
              : null,
          )
        }
      />
      <FieldWarning text={error} />
    </div>
  )
}
