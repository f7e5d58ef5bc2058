import type { ImportedUserDto } from '../shared/api'
import { parsePublicUrl, selectPeople, type PublicUrlDto } from '../shared/cards'
import type { BulkReissue } from '../shared/cards-schemas'
import type { UserRecord } from '../store/store'
import { issueCodes } from './credentials'
import type { DeskCore } from './core'
import type { DeskService } from './desk-service'
import { DeskError } from './errors'
import type { Principal } from './principal'

const PUBLIC_URL_KEY = 'cards.publicUrl'

export interface BulkReissueAnswer {
  reissued: number
  /** The new codes, in print order (by region, then role, then name). Shown once: only hashes are kept. */
  users: ImportedUserDto[]
}

/**
 * Credential cards (issue 11): the address printed on reporters' cards (the public URL: set with
 * `--public-url` at start, or by the admin at run time and kept in the database), and new codes
 * for many people in one run, because codes live only in the tab that issued them.
 */
export class CardsService {
  readonly desk: DeskService

  constructor(
    private readonly core: DeskCore,
    /** `--public-url` (already validated by the host); the admin's value, when set, wins over it. */
    readonly flagPublicUrl: string | null = null,
  ) {
    this.desk = core.desk
  }

  publicUrl(): PublicUrlDto {
    const stored = this.core.store.getMeta(PUBLIC_URL_KEY)
    if (stored) return { publicUrl: stored, source: 'admin', flag: this.flagPublicUrl }
    if (this.flagPublicUrl)
      return { publicUrl: this.flagPublicUrl, source: 'flag', flag: this.flagPublicUrl }
    return { publicUrl: null, source: null, flag: null }
  }

  /** `url` already validated at the edge; null goes back to the flag's value (or none). */
  async setPublicUrl(actor: Principal, url: string | null): Promise<PublicUrlDto> {
    if (url !== null && 'error' in parsePublicUrl(url))
      throw new DeskError(400, 'invalid', 'publicUrl tidak sah', { publicUrl: 'Alamat tidak sah' })
    await this.desk.write(() => {
      if (url === null)
        this.core.store.db.prepare('DELETE FROM meta WHERE key = ?').run(PUBLIC_URL_KEY)
      else this.core.store.setMeta(PUBLIC_URL_KEY, url)
      this.core.store.audit(actor.id, 'cards.publicUrl', null, { publicUrl: url })
      this.core.store.appendEvent('cards.publicUrl', { publicUrl: url })
    })
    return this.publicUrl()
  }

  /**
   * New codes for everyone a selection names (a kecamatan, a role, a list, everyone; never a revoked
   * person). `expect` is the count the admin confirmed: any other count is refused, nothing changes.
   * Every old code stops working in the same commit; each person gets a `user.reissue` audit line
   * and the run one `users.reissue` line with its selection.
   */
  async bulkReissue(actor: Principal, body: BulkReissue): Promise<BulkReissueAnswer> {
    const { expect, ...selection } = body
    const regions = this.desk.regions
    if (
      selection.region !== undefined &&
      selection.region !== '' &&
      !regions.contains(selection.region)
    ) {
      throw new DeskError(
        400,
        'invalid',
        `Wilayah ${selection.region} tidak ada di ${regions.regency.name}`,
        { region: 'Kode wilayah tidak dikenal' },
      )
    }
    const chosen = selectPeople(this.core.store.listUsers(), selection)
    if (chosen.length === 0) {
      throw new DeskError(
        404,
        'no_people',
        'Tidak ada orang (yang kodenya belum dicabut) dalam pilihan ini',
        { region: 'Tidak ada orang terdaftar' },
      )
    }
    if (chosen.length !== expect) {
      throw new DeskError(
        409,
        'count_changed',
        `Pilihan ini sekarang ${chosen.length} orang, bukan ${expect} yang dikonfirmasi: daftar orang berubah. Muat ulang, periksa, lalu konfirmasi lagi. Tidak ada kode yang diubah.`,
        { expect: `Sekarang ${chosen.length} orang` },
      )
    }
    // The SMS code is reissued with the access code, as one at a time does (credentials.ts).
    const issued = await issueCodes(chosen.length, (id) => !!this.core.store.userByCodeId(id))

    const done = await this.desk.write(() => {
      const out: { user: UserRecord; code: string; smsCode: string }[] = []
      for (const [i, u] of chosen.entries()) {
        const now = this.core.store.userById(u.id)
        // Revoked while the codes were hashed: the revocation stands.
        if (!now || now.revokedAt) continue
        const c = issued[i]!
        if (this.core.store.userByCodeId(c.codeId))
          throw new DeskError(
            503,
            'retry',
            'Bentrok kode akses; ulangi (tidak ada kode yang diubah)',
          )
        this.core.store.reissueUserCode(u.id, c.codeId, c.codeHash)
        this.core.smsStore.setCode(u.id, c.smsHash, this.core.store.nowIso())
        this.core.store.audit(actor.id, 'user.reissue', u.id, { bulk: true })
        out.push({ user: now, code: c.code, smsCode: c.smsCode })
      }
      this.core.store.audit(actor.id, 'users.reissue', null, { count: out.length, selection })
      this.core.store.appendEvent('users.reissued', { count: out.length })
      return out
    })
    done.sort(
      (a, b) =>
        a.user.region.localeCompare(b.user.region) ||
        a.user.role.localeCompare(b.user.role) ||
        a.user.name.localeCompare(b.user.name, 'id'),
    )
    return {
      reissued: done.length,
      users: done.map(({ user, code, smsCode }) => ({
        id: user.id,
        name: user.name,
        phone: user.phone,
        role: user.role,
        region: user.region,
        regionName: regions.get(user.region)?.name ?? user.region,
        accessCode: code,
        smsCode,
      })),
    }
  }
}
