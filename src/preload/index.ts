import { contextBridge, ipcRenderer } from 'electron'
import type { DeskShell } from '../shared/shell'

// Only these named calls cross into the page; never ipcRenderer itself.
const shell: DeskShell = {
  session: () => ipcRenderer.invoke('desk:session') as Promise<{ token: string }>,
  openBoard: () => ipcRenderer.invoke('desk:open-board') as Promise<void>,
}

contextBridge.exposeInMainWorld('deskShell', shell)
