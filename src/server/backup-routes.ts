import { Router } from 'express'
import { BackupService, backupsOffStatus, type BackupOptions } from '../service/backup-service'
import type { DeskCore } from '../service/core'
import { DeskError } from '../service/errors'
import type { Feature } from './features'
import type { RouteContext } from './routes'

/**
 * The backup indicator (console home) and "back up now". Operators see it (they are the ones at the
 * desk when a USB stick is pulled out); only the admin may start one by hand.
 */
export function createBackup(
  core: DeskCore,
  options: BackupOptions | null,
): Feature<BackupService | null> {
  // Built, not started: the host starts the schedule once the desk listens.
  const service = options ? new BackupService(core, options) : null
  return { service, router: (ctx) => backupRouter(ctx, service) }
}

function backupRouter(ctx: RouteContext, backups: BackupService | null): Router {
  const { requireAuth } = ctx
  const r = Router()

  r.get('/backup', requireAuth('operator'), (_req, res) => {
    res.set('Cache-Control', 'no-store')
    res.json(backups?.status() ?? backupsOffStatus())
  })

  r.post('/backup', requireAuth('admin'), async (_req, res) => {
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
