import * as ns from 'xlsx'

type SheetJS = typeof ns

// Node's own ES module loader reads xlsx's CommonJS entry and lists only some of its exports by
// name (CFB, the zip reader we need, is not among them); bundlers and vitest take the ES module
// entry, which names everything. Use whichever object has it all.
const fallback = 'default'
export const XLSX: SheetJS = (ns as { CFB?: unknown }).CFB ? ns : (ns as unknown as Record<string, SheetJS>)[fallback]!
