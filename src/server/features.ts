import type { Router } from 'express'
import { backupRouter } from './backup-routes'
import { boardRouter } from './board-routes'
import { cardsRouter } from './cards-routes'
import { consoleRouter } from './console-routes'
import { exportRouter } from './export-routes'
import { intakeRouter } from './intake-routes'
import { phoneSyncRouter } from './phone-sync-routes'
import { purgeRouter } from './purge-routes'
import type { RouteContext } from './routes'
import { smsRouter } from './sms-routes'

/**
 * Feature routers mounted under /api/v1 after the core. Each feature (intake, board, export,
 * console…) lives in its own files and registers here with one line.
 */
export const FEATURE_ROUTERS: ((ctx: RouteContext) => Router)[] = [
  boardRouter,
  consoleRouter,
  exportRouter,
  intakeRouter,
  cardsRouter,
  phoneSyncRouter,
  smsRouter,
  backupRouter,
  purgeRouter,
]
