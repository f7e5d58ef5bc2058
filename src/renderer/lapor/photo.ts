// Evidence photos are shrunk on the phone before they wait in the outbox: a 12-megapixel camera
// picture is several MB, which a weak signal may never carry. 1600 px on the long side keeps a
// C.Hasil sheet readable.

const MAX_SIDE = 1600
const QUALITY = 0.8
export const MAX_UPLOAD_BYTES = 5 * 1024 * 1024

export async function downscale(file: Blob): Promise<Blob> {
  let bitmap: ImageBitmap
  try {
    bitmap = await createImageBitmap(file)
  } catch {
    // Not a picture this browser can read: send it as it is and let the desk judge.
    return file
  }
  const scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height))
  const canvas = document.createElement('canvas')
  canvas.width = Math.max(1, Math.round(bitmap.width * scale))
  canvas.height = Math.max(1, Math.round(bitmap.height * scale))
  const ctx = canvas.getContext('2d')
  if (!ctx) return file
  ctx.drawImage(bitmap, 0, 0, canvas.width, canvas.height)
  bitmap.close()
  const blob = await new Promise<Blob | null>((resolve) =>
    canvas.toBlob(resolve, 'image/jpeg', QUALITY),
  )
  if (!blob) return file
  return blob.size < file.size || file.size > MAX_UPLOAD_BYTES ? blob : file
}
