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
