/**
 * The application menu. In development Electron's default menu stays (Reload, DevTools). A packaged
 * app gets a minimal one: no Reload (it would re-run the page mid-change), no DevTools (a console on
 * the renderer is a way to call IPC by hand), no View menu; Edit stays for copy and paste, and on
 * macOS the app menu. Plain data, so it is tested without Electron; index.ts builds it.
 */

/** The roles this menu uses: a subset of Electron's MenuItemConstructorOptions['role']. */
export type MenuRole =
  | 'appMenu'
  | 'undo'
  | 'redo'
  | 'cut'
  | 'copy'
  | 'paste'
  | 'pasteAndMatchStyle'
  | 'delete'
  | 'selectAll'
  | 'minimize'
  | 'zoom'
  | 'close'
  | 'front'
  | 'quit'

export interface MenuTemplateItem {
  label?: string
  role?: MenuRole
  type?: 'separator'
  submenu?: MenuTemplateItem[]
}

const separator: MenuTemplateItem = { type: 'separator' }

/** Null: keep Electron's default menu (development). */
export function applicationMenu(platform: NodeJS.Platform, packaged: boolean): MenuTemplateItem[] | null {
  if (!packaged) return null
  const mac = platform === 'darwin'
  const edit: MenuTemplateItem = {
    label: 'Edit',
    submenu: [
      { role: 'undo' },
      { role: 'redo' },
      separator,
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      ...(mac ? [{ role: 'pasteAndMatchStyle' as const }] : []),
      { role: 'delete' },
      separator,
      { role: 'selectAll' },
    ],
  }
  if (mac) {
    return [{ role: 'appMenu' }, edit, { label: 'Window', submenu: [{ role: 'minimize' }, { role: 'zoom' }, separator, { role: 'front' }] }]
  }
  return [{ label: 'File', submenu: [{ role: 'quit' }] }, edit]
}
