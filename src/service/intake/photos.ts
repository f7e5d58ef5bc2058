// Evidence photos: stored durably by content hash, within each reporter's quota, served only by a
// checked name.

import { createHash, randomUUID } from 'node:crypto'
import { existsSync, readdirSync, renameSync, unlinkSync } from 'node:fs'
import { mkdir, open, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import type { PhotoDto } from '../../shared/api'
import type { IntakeStore, PhotoRow } from '../../store/intake-store'
import { DeskError, forbidden, notFound } from '../errors'
import type { Principal } from '../principal'
import type { IntakeCore } from './core'

export const MAX_PHOTO_BYTES = 5 * 1024 * 1024
const PHOTO_QUOTA_KEY = 'intake.photoQuota'
const MB = 1024 * 1024
const PHOTO_FILE = /^[a-f0-9]{64}\.(jpg|png|webp)$/
/** An upload's bytes waiting for the writer's verdict: `.<photo file>.<uuid>.tmp`. */
const PHOTO_TEMP = /^\.[a-f0-9]{64}\.(jpg|png|webp)\.[0-9a-f-]{36}\.tmp$/

export type PhotoType = 'image/jpeg' | 'image/png' | 'image/webp'
const EXTENSION: Record<PhotoType, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
}
export const PHOTO_TYPE_OF_EXTENSION: Record<string, PhotoType> = {
  jpg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
}

/**
 * What an uploaded file really is, from its first bytes — never from its name or Content-Type,
 * which a client chooses freely. Only the three formats phones produce are accepted.
 */
export function imageTypeOf(bytes: Buffer): PhotoType | null {
  if (bytes.length < 16) return null
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg'
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
  if (bytes.subarray(0, 8).equals(png) && bytes.toString('latin1', 12, 16) === 'IHDR')
    return 'image/png'
  if (
    bytes.toString('latin1', 0, 4) === 'RIFF' &&
    bytes.toString('latin1', 8, 12) === 'WEBP' &&
    bytes.toString('latin1', 12, 15) === 'VP8'
  ) {
    return 'image/webp'
  }
  return null
}

// ---------------------------------------------------------------- photo quota

/**
 * How much one reporter's code may store as photos, so that one phone (or a stolen code) cannot
 * fill the desk's disk. Sized from the reporter's own work: their region's TPS times the contests.
 * Operators and up are not limited (desk staff, on desk machines). perPlace 0 switches that limit
 * off; the total is off only when both MB values are 0 (one 0 just adds nothing to it).
 */
export interface PhotoQuota {
  /** Photos per reporter for one place: a TPS and contest (a C.Hasil sheet), a TPS, or a desa. */
  perPlace: number
  /** MB per C.Hasil sheet (TPS × contest) of the reporter's region, toward their total. */
  mbPerSheet: number
  /** MB on top of that: desa photos for incidents, a region whose TPS are not imported yet. */
  mbBase: number
}

/**
 * A C.Hasil sheet is 1–3 photos (the plano in parts, a retake); the phone shrinks each to a few
 * hundred KB, and a phone that cannot sends up to 5 MB. 10 per place and 10 MB per sheet leave
 * honest use far from the limit; a desa of 28 TPS with 2 contests gets 660 MB, not the whole disk.
 */
export const DEFAULT_PHOTO_QUOTA: PhotoQuota = { perPlace: 10, mbPerSheet: 10, mbBase: 100 }

export const PHOTO_QUOTA_ENV: Record<keyof PhotoQuota, string> = {
  perPlace: 'DESK_PHOTO_PER_PLACE',
  mbPerSheet: 'DESK_PHOTO_MB_PER_SHEET',
  mbBase: 'DESK_PHOTO_MB_BASE',
}

const QUOTA_MAX = 1_000_000

/**
 * What 0 means for one value, in messages naming the values as the reader wrote them (JSON
 * fields or environment variables). A single MB value of 0 does not lift the total.
 */
export function photoQuotaZeroMeaning(
  key: keyof PhotoQuota,
  nameOf: (k: keyof PhotoQuota) => string = (k) => k,
): string {
  if (key === 'perPlace') return '0 = tanpa batas'
  const other = key === 'mbBase' ? 'mbPerSheet' : 'mbBase'
  return `0 = tanpa tambahan ini; batas total mati hanya bila ${nameOf(key)} dan ${nameOf(other)} keduanya 0`
}

/** The quota from environment variables over the defaults; a bad value stops the desk with the variable named. */
export function photoQuotaFromEnv(env: Record<string, string | undefined>): PhotoQuota {
  const quota = { ...DEFAULT_PHOTO_QUOTA }
  for (const key of Object.keys(PHOTO_QUOTA_ENV) as (keyof PhotoQuota)[]) {
    const raw = env[PHOTO_QUOTA_ENV[key]]?.trim()
    if (raw === undefined || raw === '') continue
    const n = Number(raw)
    if (!/^[0-9]+$/.test(raw) || n > QUOTA_MAX) {
      const zero = photoQuotaZeroMeaning(key, (k) => PHOTO_QUOTA_ENV[k])
      throw new Error(
        `${PHOTO_QUOTA_ENV[key]}="${raw}" tidak sah: harus bilangan bulat 0–${QUOTA_MAX} (${zero})`,
      )
    }
    quota[key] = n
  }
  return quota
}

export interface PhotoQuotaDto extends PhotoQuota {
  source: 'admin' | 'env' | 'default'
  /** A reporter's own use: bytes stored, and their limit (null: no total limit). */
  mine?: { bytes: number; limitBytes: number | null }
}

/**
 * Make a rename in `dir` durable. After the commit, before the answer: a power cut in between
 * leaves a row without its file, and the phone, unanswered, resends the photo, which puts it back.
 * Windows cannot open a folder for fsync (NTFS journals the rename itself): nothing to do there.
 */
async function syncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r').catch(() => null)
  if (!fh) return
  await fh.sync().catch(() => {})
  await fh.close().catch(() => {})
}

const mbFormat = new Intl.NumberFormat('id-ID', { maximumFractionDigits: 1 })
const mb = (bytes: number) => mbFormat.format(bytes / MB)

export class IntakePhotos {
  private readonly intake: IntakeStore
  /** The quota when the admin has not set one (defaults, or the DESK_PHOTO_* variables). */
  readonly defaultPhotoQuota: PhotoQuota

  constructor(
    private readonly core: IntakeCore,
    env: Record<string, string | undefined>,
  ) {
    this.intake = core.intake
    this.defaultPhotoQuota = photoQuotaFromEnv(env)
    this.sweepPhotoTemps()
  }

  private get desk() {
    return this.core.desk
  }

  private get store() {
    return this.core.store
  }

  private get regions() {
    return this.core.regions
  }

  /** The quota in force: the admin's (kept in the database), else the defaults or DESK_PHOTO_* variables. */
  photoQuota(): PhotoQuotaDto {
    const raw = this.store.getMeta(PHOTO_QUOTA_KEY)
    if (raw) return { ...(JSON.parse(raw) as PhotoQuota), source: 'admin' }
    const q = this.defaultPhotoQuota
    const fromEnv = (Object.keys(q) as (keyof PhotoQuota)[]).some(
      (k) => q[k] !== DEFAULT_PHOTO_QUOTA[k],
    )
    return { ...q, source: fromEnv ? 'env' : 'default' }
  }

  /** The admin raises (or lowers) the quota during the night, without restarting the desk; null goes back to the default. */
  async setPhotoQuota(actor: Principal, quota: PhotoQuota | null): Promise<PhotoQuotaDto> {
    const value = quota
      ? { perPlace: quota.perPlace, mbPerSheet: quota.mbPerSheet, mbBase: quota.mbBase }
      : null
    await this.desk.write(() => {
      // An empty value reads as "not set" (photoQuota tests for a non-empty string).
      this.store.setMeta(PHOTO_QUOTA_KEY, value ? JSON.stringify(value) : '')
      this.store.audit(actor.id, 'intake.photoQuota', null, value ?? { reset: true })
      this.store.appendEvent('intake.photoQuota', value ?? { reset: true })
    })
    return this.photoQuota()
  }

  /** The quota, and for a reporter what they have used of it. */
  photoQuotaView(p: Principal): PhotoQuotaDto {
    const q = this.photoQuota()
    if (p.role !== 'reporter') return q
    const limit = this.photoBytesLimit(p, q)
    return { ...q, mine: { bytes: this.photoBytesOf(p), limitBytes: limit } }
  }

  private photoBytesLimit(p: Principal, q: PhotoQuota): number | null {
    if (q.mbPerSheet === 0 && q.mbBase === 0) return null
    const tps = this.intake.countTpsUnder(p.region)
    const sheets = tps * Math.max(1, this.desk.contests().length)
    return (q.mbBase + q.mbPerSheet * sheets) * MB
  }

  private photoBytesOf(p: Principal): number {
    return this.intake.photoBytesOf(p.id, p.region)
  }

  /**
   * Why this reporter may not keep one more photo here, or null. A photo already stored for the
   * same place is never refused: a phone resending it after a lost answer gets its 200. 413, not
   * 429: the phone's outbox retries a 429 for ever, while a 413 stays on the phone, shown, unsent.
   */
  private photoQuotaRefusal(
    p: Principal,
    file: string,
    size: number,
    place: { region: string; tps: string | null },
    contest: string | null,
  ): DeskError | null {
    if (p.role !== 'reporter') return null
    if (this.intake.photoExact(file, place.region, place.tps, contest)) return null
    const q = this.photoQuota()
    const keep = 'Foto yang sudah terkirim tetap tersimpan, dan hasil (angka) tetap bisa dikirim.'
    if (q.perPlace > 0) {
      const n = this.intake.photosAtPlace({
        tps: place.tps,
        contest,
        region: place.region,
        actor: p.id,
      })
      if (n >= q.perPlace) {
        const contestName = contest ? this.desk.contest(contest)?.name : undefined
        const what = `${contestName ? `C.Hasil ${contestName} ` : ''}${this.placeName(place.region, place.tps)}`
        return new DeskError(
          413,
          'photo_quota',
          `Kuota foto penuh: sudah ${n} foto Anda untuk ${what}, paling banyak ${q.perPlace}. ${keep} Bila memang perlu foto lagi, hubungi desk.`,
          { file: `Kuota ${q.perPlace} foto untuk ${what} sudah penuh` },
        )
      }
    }
    const limit = this.photoBytesLimit(p, q)
    if (limit !== null) {
      const used = this.photoBytesOf(p)
      const adds = this.intake.actorHasFile(file, p.id) ? 0 : size
      if (used + adds > limit) {
        return new DeskError(
          413,
          'photo_quota',
          `Kuota foto Anda penuh: ${mb(used)} dari ${mb(limit)} MB terpakai, foto ini ${mb(size)} MB. ${keep} Hubungi desk bila perlu kuota lebih.`,
          { file: `Kuota foto Anda (${mb(limit)} MB) sudah penuh` },
        )
      }
    }
    return null
  }

  /**
   * Temp files of uploads a crash interrupted: never pointed at by a row, never to be finished.
   * Safe at start: the data dir is locked to this one desk, and its uploads all pass through this
   * one service, created before the first of them.
   */
  private sweepPhotoTemps(): void {
    if (!this.desk.dataDir) return
    const dir = join(this.desk.dataDir, 'photos')
    let names: string[]
    try {
      names = readdirSync(dir)
    } catch {
      return // no photos yet
    }
    for (const name of names) {
      if (!PHOTO_TEMP.test(name)) continue
      try {
        unlinkSync(join(dir, name))
      } catch {
        // gone already, or not ours to remove: it is never served or counted either way
      }
    }
  }

  private photosDir(): string {
    if (!this.desk.dataDir)
      throw new DeskError(
        503,
        'no_storage',
        'Desk ini tidak punya folder data untuk menyimpan foto',
      )
    return join(this.desk.dataDir, 'photos')
  }

  /**
   * Keep an evidence photo. The file is named by its content hash and made durable (fsync, then
   * rename in the writer job that inserts its row) before that row commits, so an acknowledged
   * photo survives a power cut, a refused one leaves no file, and a resent upload lands on the same file.
   */
  async storePhoto(
    p: Principal,
    bytes: Buffer,
    target: { tps?: string; contest?: string; region?: string },
    options: { simulated?: boolean } = {},
  ): Promise<{ created: boolean; photo: PhotoDto }> {
    if (p.role === 'display') throw forbidden('Akun tampilan (display) tidak bisa mengirim foto')
    if (bytes.length > MAX_PHOTO_BYTES)
      throw new DeskError(
        413,
        'too_large',
        'Foto paling besar 5 MB. Perkecil fotonya lalu kirim lagi.',
      )
    const type = imageTypeOf(bytes)
    if (!type) {
      throw new DeskError(
        415,
        'bad_image',
        'Berkas bukan foto JPEG, PNG atau WebP (isi berkas diperiksa, bukan namanya)',
        {
          file: 'Bukan foto JPEG, PNG atau WebP',
        },
      )
    }
    const place = this.core.placeFor(p, target)
    let contest: string | null = null
    if (target.contest) {
      if (!place.tps)
        throw new DeskError(400, 'invalid', 'Foto untuk satu pemilihan harus menyebut TPS-nya', {
          tps: 'Wajib bersama contest',
        })
      if (!this.desk.contest(target.contest)) {
        throw new DeskError(404, 'not_found', `Pemilihan "${target.contest}" tidak dikenal`, {
          contest: 'Pemilihan tidak dikenal',
        })
      }
      contest = target.contest
    }
    const dir = this.photosDir()
    const file = `${createHash('sha256').update(bytes).digest('hex')}.${EXTENSION[type]}`
    // Checked before anything is written (a refused photo costs no disk), and again in the writer,
    // where uploads are one at a time: a burst passes the first check together.
    const early = this.photoQuotaRefusal(p, file, bytes.length, place, contest)
    if (early) throw early
    const path = join(dir, file)
    // The bytes wait, fsynced, in a temp file of this upload alone; only the writer job that keeps
    // the photo moves them into place, so an upload refused there (or failing) leaves nothing behind.
    // A photo already on disk (a resend, the same picture elsewhere) is not written again.
    let tmp: string | null = null
    if (!existsSync(path)) {
      await mkdir(dir, { recursive: true, mode: 0o700 })
      tmp = join(dir, `.${file}.${randomUUID()}.tmp`)
      const fh = await open(tmp, 'wx', 0o600)
      try {
        await fh.writeFile(bytes)
        await fh.sync()
      } catch (e) {
        await fh.close().catch(() => {})
        await unlink(tmp).catch(() => {})
        throw e
      }
      await fh.close()
    }
    const simulated = this.core.simulatedFor(p, !!options.simulated)
    let moved = false
    let created: boolean
    try {
      created = await this.desk.write(() => {
        const refusal = this.photoQuotaRefusal(p, file, bytes.length, place, contest)
        if (refusal) throw refusal
        const row = {
          file,
          type,
          bytes: bytes.length,
          region: place.region,
          tps: place.tps,
          contest,
          actor: p.id,
          at: this.store.nowIso(),
          simulated: simulated ? 1 : 0,
        }
        const inserted = this.intake.insertPhoto(row)
        if (inserted) {
          this.store.audit(p.id, 'photo.upload', place.tps ?? place.region, {
            file,
            contest,
            bytes: bytes.length,
          })
          this.store.appendEvent('photo.added', {
            file,
            region: place.region,
            tps: place.tps,
            contest,
          })
        }
        // Last, so a throw here rolls the row back with it. Same name, same content: a file already
        // in place stays (it may be open for an operator's eyes) and this upload's copy is dropped below.
        if (tmp && !existsSync(path)) {
          renameSync(tmp, path)
          tmp = null
          moved = true
        } else if (!tmp && !existsSync(path)) {
          // Present when this upload looked, removed since by the cleanup below: nothing to point at.
          throw new DeskError(503, 'retry', 'Foto belum tersimpan di desk. Kirim lagi.')
        }
        return inserted
      })
    } catch (e) {
      // The batch holding this job was rolled back after the file moved into place (a failed
      // commit): drop the file unless a row committed since points at it. In the writer, so no
      // upload of the same picture can count on the file between the look and the unlink.
      if (moved) {
        await this.desk
          .write(() => {
            if (!this.intake.photoByFile(file)) unlinkSync(path)
          })
          .catch(() => {})
      }
      throw e
    } finally {
      // Refused, failed, or the same picture already in place: this upload's copy is not needed.
      if (tmp) await unlink(tmp).catch(() => {})
    }
    if (moved) await syncDir(dir)
    const row = this.intake.photoExact(file, place.region, place.tps, contest)!
    return { created, photo: this.photoDto(row) }
  }

  /** "TPS 003 Padomasan", or the desa's name. */
  private placeName(region: string, tps: string | null): string {
    const tpsNo = tps ? `TPS ${tps.slice(tps.lastIndexOf('.') + 1)}` : null
    return `${tpsNo ? `${tpsNo} ` : ''}${this.regions.get(region)?.name ?? region}`
  }

  private photoDto(r: PhotoRow): PhotoDto {
    const contest = r.contest ? this.desk.contest(r.contest) : undefined
    const place = this.placeName(r.region, r.tps)
    return {
      file: r.file,
      url: `/api/v1/photos/${r.file}`,
      label: contest ? `C.Hasil ${contest.name} — ${place}` : `Foto — ${place}`,
      type: r.type,
      bytes: r.bytes,
      region: r.region,
      tps: r.tps,
      contest: r.contest,
      at: r.at,
      by: { id: r.actor, name: this.core.nameOf(r.actor) },
    }
  }

  /** Photos of a TPS (all contests), or of everything under a desa/kecamatan. */
  listPhotos(filter: { tps?: string; region?: string }): PhotoDto[] {
    if (filter.tps) return this.intake.photosForTps(filter.tps).map((r) => this.photoDto(r))
    if (filter.region) {
      return this.intake.photosUnder(filter.region).map((r) => this.photoDto(r))
    }
    throw new DeskError(400, 'invalid', 'Sebutkan ?tps=KODE atau ?region=KODE', {
      tps: 'Wajib salah satu',
    })
  }

  /** The stored file of a photo, for an operator's eyes. The name is checked so no path escapes the folder. */
  photoPath(file: string): { path: string; type: PhotoType } {
    if (!PHOTO_FILE.test(file) || !this.intake.photoByFile(file))
      throw notFound('Foto tidak ditemukan')
    const path = join(this.photosDir(), file)
    if (!existsSync(path)) throw notFound('Berkas foto tidak ada di folder data')
    return { path, type: PHOTO_TYPE_OF_EXTENSION[file.slice(file.lastIndexOf('.') + 1)]! }
  }
}
