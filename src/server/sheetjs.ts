import { createRequire } from 'node:module'
import type * as ns from 'xlsx'

type SheetJS = typeof ns

let loaded: SheetJS | null = null

/**
 * SheetJS, loaded on first use: it costs the desk ~30 MB of memory and part of its start, and most
 * desks only touch it for an import or in the export worker. Loaded through `require` (its
 * CommonJS entry names everything, CFB included, where Node's ES module loader lists only some).
 */
export function sheetjs(): SheetJS {
  loaded ??= createRequire(import.meta.url)('xlsx') as SheetJS
  return loaded
}
