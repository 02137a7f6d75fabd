import type { ReactNode } from 'react'
import type { Failure } from '../../../shared/errors'
import { ErrorBox } from './ErrorBox'

/**
 * A loaded list in its panel: the last load's failure (with Try again), `empty` once a load found nothing, else
 * `children` (the table, which keeps its rows while a refresh runs).
 */
export function ListBody({
  error,
  loading,
  count,
  onRetry,
  empty,
  children,
}: {
  error: Pick<Failure, 'message' | 'hint'> | null
  loading: boolean
  count: number
  onRetry: () => void
  empty: ReactNode
  children: ReactNode
}) {
  return (
    <>
      {error ? <ErrorBox error={error} onRetry={onRetry} /> : null}
      {!error && !loading && count === 0 ? empty : children}
    </>
  )
}
