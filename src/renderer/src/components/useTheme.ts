import { useEffect } from 'react'
import { useAppStore } from '../store'

/** Applies the chosen theme; "system" follows the OS through prefers-color-scheme in CSS. */
export function useTheme(): void {
  const theme = useAppStore((s) => s.settings?.theme ?? 'system')
  useEffect(() => {
    const root = document.documentElement
    if (theme === 'system') delete root.dataset['theme']
    else root.dataset['theme'] = theme
  }, [theme])
}
