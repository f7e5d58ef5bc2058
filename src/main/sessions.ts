import type { IpcMainInvokeEvent } from 'electron'
import type { WindowRoles } from './window-roles'

/** The part of the running desk a window's session comes from. */
export interface SessionSource {
  adminToken: string
  shellDisplayCode(): Promise<string>
}

/**
 * `desk:session`: the desk's console window is signed in as admin; the desk's board window gets
 * a display-scoped code, so a script in the board page gets no more than a display account. Any
 * other window (start screen, another desk's pages, a subframe) is refused.
 */
export async function windowSession(
  roles: WindowRoles,
  desk: SessionSource | null,
  event: Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>,
): Promise<{ token: string }> {
  const role = roles.require(event, 'console', 'board')
  if (!desk) throw new Error('Desk tidak berjalan')
  if (role === 'board') return { token: await desk.shellDisplayCode() }
  return { token: desk.adminToken }
}
