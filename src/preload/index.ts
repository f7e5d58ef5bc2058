import { contextBridge, ipcRenderer } from 'electron'
import type { AdvertisedDesk, DeskShell, DeskStart } from '../shared/shell'

// Only these named calls cross into the page, never ipcRenderer itself, and each window gets only
// its own role's bridge (the main process names the role in the window's arguments and checks
// every call's sender again). Another desk's pages (a workstation window) get nothing.
const role = process.argv.find((a) => a.startsWith('--desk-role='))?.slice('--desk-role='.length)

if (role === 'console' || role === 'board') {
  const shell: DeskShell = {
    session: () => ipcRenderer.invoke('desk:session') as Promise<{ token: string }>,
    ...(role === 'console'
      ? { openBoard: () => ipcRenderer.invoke('desk:open-board') as Promise<void> }
      : {}),
  }
  contextBridge.exposeInMainWorld('deskShell', shell)
}

if (role === 'start') {
  const start: DeskStart = {
    state: () => ipcRenderer.invoke('start:state'),
    save: (input) => ipcRenderer.invoke('start:save', input),
    pick: (kind) => ipcRenderer.invoke('start:pick', kind),
    startOwn: () => ipcRenderer.invoke('start:start-own'),
    openDesk: (url, mode) => ipcRenderer.invoke('start:open-desk', url, mode),
    onDesks(listener) {
      const forward = (_event: unknown, desks: AdvertisedDesk[]) => listener(desks)
      ipcRenderer.on('start:desks', forward)
      return () => {
        ipcRenderer.off('start:desks', forward)
      }
    },
  }
  contextBridge.exposeInMainWorld('deskStart', start)
}
