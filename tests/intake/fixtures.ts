import type { Page } from 'playwright-core'

// Small images whose first bytes are what real JPEG, PNG and WebP files start with.

/** A real 1×1 PNG. */
export const PNG_1X1 = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
)

export function jpegBytes(size = 2048, seed = 1): Buffer {
  const b = Buffer.alloc(size, seed)
  b.set([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00], 0)
  b.set([0xff, 0xd9], size - 2)
  return b
}

export function webpBytes(size = 1024): Buffer {
  const b = Buffer.alloc(size, 7)
  b.write('RIFF', 0, 'latin1')
  b.writeUInt32LE(size - 8, 4)
  b.write('WEBPVP8 ', 8, 'latin1')
  return b
}

export const CSV_HEADER = 'nama,hp,peran,kode_wilayah'

/** The numbers of one tally sheet as the reporter types them; DPTb and DPK are 0 unless given. */
export interface Sheet {
  dpt: number
  dptb?: number
  dpk?: number
  votes: number[]
  invalid: number
  /** Typed instead of the sum (a sheet that does not add up). */
  valid?: number
  total?: number
}

/** Types a sheet into the phone form, every box the reporter fills. */
export async function fillSheet(page: Page, s: Sheet): Promise<void> {
  const { dptb = 0, dpk = 0 } = s
  const valid = s.valid ?? s.votes.reduce((a, b) => a + b, 0)
  await page.fill('#dpt', String(s.dpt))
  await page.fill('#dptb', String(dptb))
  await page.fill('#dpk', String(dpk))
  await page.fill('#votersTotal', String(s.dpt + dptb + dpk))
  for (let i = 0; i < s.votes.length; i++) await page.fill(`#votes-${i + 1}`, String(s.votes[i]))
  await page.fill('#valid', String(valid))
  await page.fill('#invalid', String(s.invalid))
  await page.fill('#total', String(s.total ?? valid + s.invalid))
}
