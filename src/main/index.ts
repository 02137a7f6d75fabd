/**
 * App lifecycle and the one window. Everything security-relevant about Electron is decided here:
 * sandboxed, isolated renderer; app:// protocol with a CSP header; no navigation, no new windows,
 * no permissions; IPC only from our own frame (ipc.ts).
 */
import 'reflect-metadata'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { BrowserWindow, Menu, Notification, app, dialog, ipcMain, nativeTheme, net, protocol, screen, session, shell } from 'electron'
import type { WindowBounds } from '../shared/model'
import { APP_HOST, APP_ORIGIN, APP_SCHEME, CONTENT_SECURITY_POLICY, mimeTypeFor, resolveAppPath } from './app-protocol'
import { downloadDefaultPath, isAllowedDownload } from './downloads'
import { isAllowedExternalUrl } from './external-links'
import { createHandlers } from './handlers'
import { registerIpc } from './ipc'
import { createLogger } from './log'
import { applicationMenu } from './menu'
import { createServices } from './services'

protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }])

if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  void start()
}

let mainWindow: BrowserWindow | null = null

async function start(): Promise<void> {
  await app.whenReady()
  const log = createLogger(join(app.getPath('logs'), 'main.log'))
  const services = createServices({
    userDataDir: app.getPath('userData'),
    appVersion: app.getVersion(),
    // Electron's fetch uses the OS proxy settings and trust store (what works behind Gateway inspection).
    fetch: (input, init) => net.fetch(input instanceof URL ? input.toString() : input, init),
    // Exports go where the user says, through the OS save dialog; the renderer never names a path.
    dialogs: {
      saveFile: async ({ title, defaultName, extensions }) => {
        const options = {
          title,
          defaultPath: join(app.getPath('documents'), defaultName),
          filters: [{ name: extensions.join(', '), extensions }],
        }
        const result = mainWindow ? await dialog.showSaveDialog(mainWindow, options) : await dialog.showSaveDialog(options)
        return result.canceled || !result.filePath ? null : result.filePath
      },
      // Trust-store changes and key deletions are asked here, in main; Cancel is the default and Esc.
      confirm: async ({ title, message, detail, confirmLabel }) => {
        const buttons = [confirmLabel, 'Cancel']
        const options = { type: 'warning' as const, title, message, detail, buttons, defaultId: 1, cancelId: 1, noLink: true }
        const { response } = mainWindow ? await dialog.showMessageBox(mainWindow, options) : await dialog.showMessageBox(options)
        return response === 0
      },
      openPath: async ({ title, extensions, folder }) => {
        const options = {
          title,
          properties: [folder ? ('openDirectory' as const) : ('openFile' as const)],
          filters: folder ? [] : [{ name: extensions.join(', '), extensions }],
        }
        const result = mainWindow ? await dialog.showOpenDialog(mainWindow, options) : await dialog.showOpenDialog(options)
        return result.canceled ? null : (result.filePaths[0] ?? null)
      },
      // Shown by main: the renderer's notification permission stays denied.
      notify: ({ title, body }) => {
        if (Notification.isSupported()) new Notification({ title, body }).show()
      },
    },
    versions: { electron: process.versions.electron ?? '', chrome: process.versions.chrome ?? '' },
  })
  for (const problem of services.storageProblems)
    log(`Storage file ${problem.file} was unreadable (${problem.reason}); moved to ${problem.movedTo}`)
  // Creates a crash or lost answer left pending: find their certificates and link them to their keys.
  void services.reconcileIssuance().then(
    (outcomes) => {
      for (const o of outcomes) {
        const what = [o.outcome, o.certificateId, o.message].filter(Boolean).join(' — ')
        log(`Pending client-certificate create ${o.intentId} on ${o.zone}: ${what}`)
      }
    },
    (error: unknown) => log('Reconciling pending client-certificate creates failed', error),
  )

  // The expiry radar: notifications from the cached listings now, then stale listings refreshed, hourly.
  services.expiry.start(undefined, (error: unknown) => log('Expiry radar check failed', error))

  const rendererRoot = join(import.meta.dirname, '../renderer')
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url)
    const file = url.host === APP_HOST ? resolveAppPath(rendererRoot, url.pathname) : null
    if (!file) return new Response('Not found', { status: 404 })
    try {
      const body = await readFile(file)
      return new Response(body, {
        headers: {
          'content-type': mimeTypeFor(file),
          'content-security-policy': CONTENT_SECURITY_POLICY,
          'x-content-type-options': 'nosniff',
        },
      })
    } catch {
      return new Response('Not found', { status: 404 })
    }
  })

  // Deny every permission (camera, notifications, geolocation, ...): the app needs none.
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false))
  session.defaultSession.setPermissionCheckHandler(() => false)

  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event) => event.preventDefault())
    contents.on('will-redirect', (event) => event.preventDefault())
    contents.on('will-attach-webview', (event) => event.preventDefault())
    contents.setWindowOpenHandler(({ url }) => {
      if (isAllowedExternalUrl(url)) void shell.openExternal(url)
      return { action: 'deny' }
    })
  })

  const devUrl = !app.isPackaged ? process.env['ELECTRON_RENDERER_URL'] : undefined
  const allowedOrigins = devUrl ? [APP_ORIGIN, new URL(devUrl).origin] : [APP_ORIGIN]

  // Exports the page builds (Activity CSV/JSON) arrive as blob downloads: those get a save dialog
  // starting in Downloads; any other download is cancelled.
  session.defaultSession.on('will-download', (event, item) => {
    if (!isAllowedDownload(item.getURL(), allowedOrigins)) {
      event.preventDefault()
      log(`download refused: ${item.getURL().slice(0, 80)}`)
      return
    }
    item.setSaveDialogOptions({ title: 'Save export', defaultPath: downloadDefaultPath(app.getPath('downloads'), item.getFilename()) })
  })
  registerIpc(ipcMain, { webContents: () => mainWindow?.webContents ?? null, allowedOrigins }, createHandlers(services), log)

  // Packaged: no Reload, no DevTools in the menu (and none on the window); development keeps Electron's.
  const menu = applicationMenu(process.platform, app.isPackaged)
  if (menu) Menu.setApplicationMenu(Menu.buildFromTemplate(menu))

  mainWindow = createWindow(services.settings.get().windowBounds)
  const rememberBounds = () => {
    if (!mainWindow || mainWindow.isDestroyed()) return
    const b = mainWindow.getNormalBounds()
    services.settings.setWindowBounds({ x: b.x, y: b.y, width: b.width, height: b.height, maximized: mainWindow.isMaximized() })
  }
  mainWindow.on('close', rememberBounds)
  void mainWindow.loadURL(devUrl ?? `${APP_ORIGIN}/index.html`)

  app.on('second-instance', () => {
    if (!mainWindow) return
    if (mainWindow.isMinimized()) mainWindow.restore()
    mainWindow.focus()
  })
  app.on('window-all-closed', () => app.quit())
  app.on('will-quit', () => void services.close())
}

/** Restore the last bounds only if they are still on a connected display. */
function createWindow(saved: WindowBounds | null): BrowserWindow {
  const visible =
    saved &&
    screen
      .getAllDisplays()
      .some(({ workArea: a }) => saved.x >= a.x && saved.y >= a.y && saved.x < a.x + a.width && saved.y < a.y + a.height)
  const window = new BrowserWindow({
    ...(visible && saved ? { x: saved.x, y: saved.y, width: saved.width, height: saved.height } : { width: 1280, height: 820 }),
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'Certdesk',
    // The page's own background for the OS theme, so nothing flashes before the first paint.
    backgroundColor: nativeTheme.shouldUseDarkColors ? '#0f1115' : '#f6f7f9',
    webPreferences: {
      preload: join(import.meta.dirname, '../preload/index.cjs'),
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
      spellcheck: false,
      devTools: !app.isPackaged,
    },
  })
  if (visible && saved?.maximized) window.maximize()
  window.once('ready-to-show', () => window.show())
  return window
}
