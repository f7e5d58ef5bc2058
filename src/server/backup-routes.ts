import { Router } from 'express'
import { backupsOf, backupsOffStatus } from '../service/backup-service'
import { DeskError } from '../service/errors'
import type { RouteContext } from './routes'

/**
 * The backup indicator (console home) and "back up now". Operators see it (they are the ones at the
 * desk when a USB stick is pulled out); only the admin may start one by hand.
 */
export function backupRouter(ctx: RouteContext): Router {
  const { requireAuth } = ctx
  const r = Router()

  r.get('/backup', requireAuth('operator'), (_req, res) => {
    res.set('Cache-Control', 'no-store')
    res.json(backupsOf(ctx.service)?.status() ?? backupsOffStatus())
  })

  r.post('/backup', requireAuth('admin'), async (_req, res) => {
    const backups = backupsOf(ctx.service)
    if (!backups)
      throw new DeskError(
        409,
        'backup_off',
        'Cadangan otomatis tidak aktif: jalankan desk dengan --backup-dir FOLDER',
      )
    const made = await backups.trigger()
    const status = backups.status()
    if (!made)
      throw new DeskError(
        503,
        'backup_failed',
        status.lastError?.message ?? 'Cadangan gagal dibuat',
      )
    res.status(201).json(status)
  })

  return r
}
