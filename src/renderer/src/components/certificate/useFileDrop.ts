/**
 * A drop zone's state for a certificate file: drag highlight, the file read (dropped or chosen),
 * and the reason when it cannot be read. Shared by the checker's DropZone and the upload PemInput.
 */
import { useState, type DragEvent } from 'react'

export function useFileDrop<T>(read: (file: File) => Promise<T>, onValue: (value: T) => void, onFailure?: (message: string) => void) {
  const [over, setOver] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const take = (file: File | undefined) => {
    if (!file) return
    setError(null)
    read(file).then(onValue, (e: unknown) => {
      setError((e as Error).message)
      onFailure?.((e as Error).message)
    })
  }
  /** New input of another kind (pasted text): the last file's reason no longer applies. */
  const clearError = () => setError(null)
  const dropProps = {
    onDragOver: (event: DragEvent) => {
      event.preventDefault()
      setOver(true)
    },
    onDragLeave: () => setOver(false),
    onDrop: (event: DragEvent) => {
      event.preventDefault()
      setOver(false)
      take(event.dataTransfer.files[0])
    },
  }
  return { over, error, take, clearError, dropProps }
}
