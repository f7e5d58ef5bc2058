import type { IpcMainInvokeEvent } from 'electron'
import { topFrameOrigin, type WindowRole } from './security'

interface Entry {
  role: WindowRole
  origin: string
}

/**
 * Which window is which, by its web contents id, and the origin it was opened on. An IPC call is
 * answered only for a top frame of a known window still on its own origin, and only for the
 * roles a channel names: the board window may ask for its display session, never the admin one.
 */
export class WindowRoles {
  private readonly byContents = new Map<number, Entry>()

  add(contentsId: number, role: WindowRole, origin: string): void {
    this.byContents.set(contentsId, { role, origin })
  }

  remove(contentsId: number): void {
    this.byContents.delete(contentsId)
  }

  /** The origin a window was opened on (its web contents may never leave it). */
  originOf(contentsId: number): string | undefined {
    return this.byContents.get(contentsId)?.origin
  }

  roleOf(event: Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>): WindowRole | null {
    const entry = this.byContents.get(event.sender.id)
    if (!entry) return null
    return topFrameOrigin(event) === entry.origin ? entry.role : null
  }

  /** The sender's role when it is one of `roles`; throws (the page sees a rejected promise) otherwise. */
  require(
    event: Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>,
    ...roles: WindowRole[]
  ): WindowRole {
    const role = this.roleOf(event)
    if (!role || !roles.includes(role))
      throw new Error('Ditolak: jendela ini tidak boleh meminta itu')
    return role
  }

  count(): number {
    return this.byContents.size
  }
}
