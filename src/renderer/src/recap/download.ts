import type { ApiError } from '../../../shared/api'
import { ApiFailure, getToken } from '../api'

export type DownloadState =
  | { phase: 'idle' }
  | { phase: 'preparing' }
  | { phase: 'downloading'; received: number; total: number }
  | { phase: 'done'; filename: string; size: number; sha256: string }
  | { phase: 'failed'; message: string; status: number }

/**
 * Fetch a file from the desk with the signed-in token, reporting progress as it streams, then hand
 * it to the browser as a download. The server names the file and its SHA-256 in headers.
 */
export async function downloadFile(
  path: string,
  onState: (s: DownloadState) => void,
): Promise<void> {
  onState({ phase: 'preparing' })
  try {
    const token = getToken()
    const res = await fetch(`/api/v1${path}`, {
      headers: token ? { Authorization: `Bearer ${token}` } : {},
    })
    if (!res.ok) {
      const body = (await res.json().catch(() => null)) as ApiError | null
      throw new ApiFailure(res.status, body)
    }
    const total = Number(res.headers.get('content-length')) || 0
    const filename =
      res.headers.get('x-desk-filename') ??
      /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ??
      'rekap.xlsx'
    const sha256 = res.headers.get('x-desk-sha256') ?? ''
    const chunks: Uint8Array<ArrayBuffer>[] = []
    let received = 0
    if (res.body) {
      const reader = res.body.getReader()
      for (;;) {
        const { done, value } = await reader.read()
        if (done) break
        chunks.push(value as Uint8Array<ArrayBuffer>)
        received += value.length
        onState({ phase: 'downloading', received, total })
      }
    }
    const blob = new Blob(chunks, {
      type: res.headers.get('content-type') ?? 'application/octet-stream',
    })
    const url = URL.createObjectURL(blob)
    const a = document.createElement('a')
    a.href = url
    a.download = filename
    document.body.appendChild(a)
    a.click()
    a.remove()
    setTimeout(() => URL.revokeObjectURL(url), 60_000)
    onState({ phase: 'done', filename, size: blob.size, sha256 })
  } catch (e) {
    onState({
      phase: 'failed',
      message: e instanceof Error ? e.message : String(e),
      status: e instanceof ApiFailure ? e.status : 0,
    })
  }
}

export function sizeText(bytes: number): string {
  if (bytes >= 1024 * 1024)
    return `${(bytes / 1024 / 1024).toLocaleString('id-ID', { maximumFractionDigits: 1 })} MB`
  return `${Math.max(1, Math.round(bytes / 1024)).toLocaleString('id-ID')} KB`
}
