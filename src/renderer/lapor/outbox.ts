// The phone's outbox: a report is written here (IndexedDB, which survives closing the browser)
// before the first attempt to send it, and leaves only when the desk has acknowledged it. Each
// item keeps its submissionId for life, so a resend after a lost answer is recognised by the desk
// as the same report (200 duplicate) and never counted twice.

import type { DeskIdentityDto, ReceiptCheckDto } from '../../shared/api'
import { call, HttpError, NetworkError } from './api'

export type OutboxKind = 'result' | 'photo' | 'incident'

export interface OutboxItem {
  /** The submissionId (results, incidents) or an upload id (photos). */
  id: string
  /** The user who made it: another code signed in on this phone does not send it. */
  owner: string
  kind: OutboxKind
  createdAt: number
  /** "TPS 003 · Gubernur", shown in the waiting list. */
  label: string
  tps?: string
  contest?: string
  correction?: boolean
  /** JSON body (results, incidents). */
  body?: Record<string, unknown>
  /** The photo (photos, an incident's optional photo), downscaled on the phone. */
  blob?: Blob
  /** Query of POST /photos: tps, contest or region. */
  query?: string
  state: 'waiting' | 'failed'
  attempts: number
  nextAt: number
  lastError?: string
  /** The desk's error code of the last refusal (`photo_quota`: the reporter may try again once the desk raises it). */
  lastCode?: string
  /** An incident whose photo the desk would not keep: its message (the text goes on without the photo). */
  photoRefused?: string
  /** A refused incident photo: the outbox id of its incident, to join it once the desk keeps the photo. */
  forIncident?: string
  /** The desk's number of that incident, once the desk has acknowledged it. */
  incidentId?: number
  /** The desk's name of this photo once stored, so a lost answer to the linking step does not upload it again. */
  photoFile?: string
  /** Acknowledged before by a desk that no longer knows it (a failover): sent again under the same submissionId. */
  earlier?: EarlierReceipt[]
}

/** A receipt a desk gave for this report before a failover lost it. */
export interface EarlierReceipt {
  receipt?: string
  at: number
  dataFolder?: string
}

export interface SentItem {
  id: string
  owner: string
  kind: OutboxKind
  label: string
  tps?: string
  contest?: string
  correction?: boolean
  body?: Record<string, unknown>
  /** Receipt of a result, or "#12" of an incident. */
  receipt?: string
  /** accepted / duplicate / conflict for results; created / duplicate for incidents; stored for photos. */
  outcome: string
  warnings?: string[]
  /** An incident delivered without its photo: the desk's reason. */
  photoRefused?: string
  /** An incident: the desk's number (the photo sent later is linked to it). */
  incidentId?: number
  /** An incident delivered without its photo whose photo reached it later. */
  photoAttached?: boolean
  at: number
  /** The data folder of the desk that gave the receipt (GET /desk/identity), when known. */
  dataFolder?: string
  /** Receipts of desks that lost this report in a failover; it was sent again and this is the new one. */
  earlier?: EarlierReceipt[]
}

// ---------------------------------------------------------------- storage

interface Storage {
  all(store: 'outbox' | 'sent'): Promise<(OutboxItem | SentItem)[]>
  put(store: 'outbox' | 'sent', value: OutboxItem | SentItem): Promise<void>
  remove(store: 'outbox' | 'sent', id: string): Promise<void>
}

function request<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result)
    r.onerror = () => reject(r.error)
  })
}

async function openIdb(): Promise<Storage> {
  const open = indexedDB.open('desk-lapor', 1)
  open.onupgradeneeded = () => {
    open.result.createObjectStore('outbox', { keyPath: 'id' })
    open.result.createObjectStore('sent', { keyPath: 'id' })
  }
  const db = await request(open)
  const tx = (store: string, mode: IDBTransactionMode) =>
    db.transaction(store, mode).objectStore(store)
  const done = (t: IDBTransaction) =>
    new Promise<void>((resolve, reject) => {
      t.oncomplete = () => resolve()
      t.onerror = () => reject(t.error)
      t.onabort = () => reject(t.error)
    })
  return {
    all: (store) => request(tx(store, 'readonly').getAll()) as Promise<(OutboxItem | SentItem)[]>,
    async put(store, value) {
      const s = tx(store, 'readwrite')
      s.put(value)
      await done(s.transaction)
    },
    async remove(store, id) {
      const s = tx(store, 'readwrite')
      s.delete(id)
      await done(s.transaction)
    },
  }
}

/** Last resort when IndexedDB is unavailable (some private modes): the outbox lives only while the page is open. */
function memoryStorage(): Storage {
  const stores = {
    outbox: new Map<string, OutboxItem | SentItem>(),
    sent: new Map<string, OutboxItem | SentItem>(),
  }
  return {
    all: async (store) => [...stores[store].values()],
    put: async (store, value) => void stores[store].set(value.id, value),
    remove: async (store, id) => void stores[store].delete(id),
  }
}

// ---------------------------------------------------------------- sending

const BACKOFF_S = [3, 5, 10, 20, 30, 60]
/**
 * Results and incidents sent that night stay on the phone with their receipts: after a failover the
 * phone resends what the new desk lacks (a kecamatan officer sends up to a few hundred). Photos are
 * heavy and never resent from here: only the last 50 records of them are kept.
 */
const KEEP_SENT = 2000
const KEEP_SENT_PHOTOS = 50

/** The sequence number in a result receipt ("000123-AB12" → 123), or 0. */
export function receiptSeq(receipt: string | undefined): number {
  const m = /^(\d+)-/.exec(receipt ?? '')
  return m ? Number(m[1]) : 0
}

/** What this phone last knew of the desk: its data folder and the highest receipt it saw from it. */
interface KnownDesk {
  dataFolder: string
  lastSeq: number
}

type Outcome =
  | { kind: 'done'; sent: Omit<SentItem, 'id' | 'owner' | 'kind' | 'label' | 'at'> }
  /** Try again later; `stop` when the desk cannot be reached at all (no point trying the others now). */
  | { kind: 'retry'; message: string; stop: boolean; after?: number; network?: boolean }
  /** The desk refused it for good: keep it visible, do not resend. */
  | { kind: 'failed'; message: string; code?: string }

function classify(e: unknown): Outcome {
  if (e instanceof NetworkError)
    return {
      kind: 'retry',
      message: 'Belum tersambung ke desk (tidak ada sinyal atau desk mati)',
      stop: true,
      network: true,
    }
  if (e instanceof HttpError) {
    if (e.status === 401 || e.status === 429 || e.status >= 500 || e.code === 'outside_window') {
      return {
        kind: 'retry',
        message: e.message,
        stop: true,
        ...(e.retryAfter ? { after: e.retryAfter } : {}),
      }
    }
    return { kind: 'failed', message: e.message, ...(e.code ? { code: e.code } : {}) }
  }
  return {
    kind: 'retry',
    message: e instanceof Error ? e.message : String(e),
    stop: true,
    network: true,
  }
}

/** The desk will never keep this photo (quota full, too big, not an image); the place and the code were fine. */
function photoRefused(e: unknown): e is HttpError {
  return (
    e instanceof HttpError && (e.code === 'photo_quota' || e.status === 413 || e.status === 415)
  )
}

/**
 * Whether the reporter may ask for one more try of a refused item: a photo refused for the quota
 * (the desk can raise it during the night), or an incident stopped at its photo by an older form.
 */
export function canRetry(item: OutboxItem): boolean {
  return (
    item.state === 'failed' &&
    (item.lastCode === 'photo_quota' ||
      (item.kind === 'incident' && !!item.blob && !item.body?.photo))
  )
}

/** The outbox id of an incident's refused photo: fixed, so a second try after a crash cannot make a second copy. */
export const refusedPhotoId = (incidentId: string) => `${incidentId}.foto`

export interface OutboxState {
  /** Items of the signed-in user still waiting or failed, oldest first. */
  waiting: OutboxItem[]
  /** Acknowledged items of the signed-in user, newest first. */
  sent: SentItem[]
  /** Items of other users on this phone (not sent while this user is signed in). */
  others: number
  sending: boolean
  /** The last reason sending stopped (shown next to the waiting count). */
  lastProblem: string | null
  /** Whether the desk answered the last attempt (null: nothing tried yet). */
  reachable: boolean | null
  persistent: boolean
}

export class Outbox {
  private storage: Storage | null = null
  private items: OutboxItem[] = []
  private sent: SentItem[] = []
  private running = false
  private again = false
  private lastProblem: string | null = null
  private reachable: boolean | null = null
  private persistent = true
  private readonly listeners = new Set<(s: OutboxState) => void>()
  private state: OutboxState

  constructor(private readonly owner: string) {
    this.deskKey = `lapor.desk.${owner}`
    this.state = this.compute()
  }

  private knownDesk(): KnownDesk | null {
    try {
      const raw = localStorage.getItem(this.deskKey)
      return raw ? (JSON.parse(raw) as KnownDesk) : null
    } catch {
      return null
    }
  }

  private rememberDesk(desk: KnownDesk): void {
    try {
      localStorage.setItem(this.deskKey, JSON.stringify(desk))
    } catch {
      // storage full: the next page load checks the receipts again
    }
  }

  /**
   * Failover without loss (issue 13 item 8). Asks the desk which data folder it runs on and what it
   * holds; when that is not the desk this phone last reported to (another folder: a restored backup),
   * or it holds fewer reports than the receipts this phone has seen (the same folder put back in
   * time), or on the first contact of this page, it checks every receipt this phone holds and sends
   * again, under the same submissionId, each report the desk does not know. Returns how many.
   */
  reconcile(): Promise<number> {
    this.reconciling ??= this.doReconcile().finally(() => {
      this.reconciling = null
    })
    return this.reconciling
  }

  private async doReconcile(): Promise<number> {
    await this.load()
    const identity = (await call<DeskIdentityDto>('GET', '/desk/identity', { timeoutMs: 10_000 }))
      .body
    const known = this.knownDesk()
    const moved =
      !known || known.dataFolder !== identity.dataFolder || identity.holds.lastSeq < known.lastSeq
    const mine = this.sent.filter(
      (s) => s.owner === this.owner && (s.kind === 'result' || s.kind === 'incident') && s.body,
    )
    let resent = 0
    if ((moved || !this.reconciled) && mine.length > 0) {
      const unknown = new Set<string>()
      for (let i = 0; i < mine.length; i += 1000) {
        const ids = mine.slice(i, i + 1000).map((s) => s.id)
        const r = await call<ReceiptCheckDto>('POST', '/receipts/check', {
          body: { submissionIds: ids },
          timeoutMs: 30_000,
        })
        for (const id of r.body.unknown) unknown.add(id)
      }
      for (const s of mine) {
        if (!unknown.has(s.id)) continue
        // Back into the outbox with its body and submissionId: the new desk counts it once. An
        // incident's photo went to the lost desk and is no longer on the phone: the text goes alone.
        const photo = s.kind === 'incident' && typeof s.body!.photo === 'string'
        const body = photo
          ? Object.fromEntries(Object.entries(s.body!).filter(([k]) => k !== 'photo'))
          : s.body!
        const item: OutboxItem = {
          id: s.id,
          owner: s.owner,
          kind: s.kind,
          createdAt: s.at,
          label: s.label,
          ...(s.tps ? { tps: s.tps } : {}),
          ...(s.contest ? { contest: s.contest } : {}),
          ...(s.correction ? { correction: true } : {}),
          body,
          ...(photo
            ? {
                photoRefused:
                  'Foto kejadian ini tidak ada di desk pengganti dan tidak lagi tersimpan di HP; uraiannya dikirim ulang tanpa foto.',
              }
            : {}),
          state: 'waiting',
          attempts: 0,
          nextAt: 0,
          earlier: [
            ...(s.earlier ?? []),
            {
              ...(s.receipt ? { receipt: s.receipt } : {}),
              at: s.at,
              ...(s.dataFolder ? { dataFolder: s.dataFolder } : {}),
            },
          ],
        }
        await this.storage!.put('outbox', item)
        await this.storage!.remove('sent', s.id)
        this.items.push(item)
        this.sent = this.sent.filter((x) => x.id !== s.id)
        resent++
      }
    }
    this.reconciled = true
    // What the desk holds now (each receipt acknowledged later raises it): a step back in time of the
    // same folder shows as a lower lastSeq at the next look.
    this.rememberDesk({ dataFolder: identity.dataFolder, lastSeq: identity.holds.lastSeq })
    if (resent > 0) {
      this.emit()
      void this.flush(true)
    }
    return resent
  }

  private loading: Promise<void> | null = null
  /** Whether this page has compared its receipts with the desk once (a reload checks again). */
  private reconciled = false
  private reconciling: Promise<number> | null = null
  private readonly deskKey: string

  /** Read what waits on this phone. Safe to call more than once; `add` waits for it. */
  load(): Promise<void> {
    this.loading ??= this.read()
    return this.loading
  }

  private async read(): Promise<void> {
    try {
      this.storage = await openIdb()
    } catch {
      this.storage = memoryStorage()
      this.persistent = false
    }
    const items = (await this.storage.all('outbox')) as OutboxItem[]
    this.items = items.sort((a, b) => a.createdAt - b.createdAt)
    this.sent = ((await this.storage.all('sent')) as SentItem[]).sort((a, b) => b.at - a.at)
    this.emit()
  }

  subscribe(listener: (s: OutboxState) => void): () => void {
    this.listeners.add(listener)
    listener(this.state)
    return () => this.listeners.delete(listener)
  }

  get current(): OutboxState {
    return this.state
  }

  private compute(): OutboxState {
    return {
      waiting: this.items.filter((i) => i.owner === this.owner),
      sent: this.sent.filter((i) => i.owner === this.owner),
      others: this.items.filter((i) => i.owner !== this.owner).length,
      sending: this.running,
      lastProblem: this.lastProblem,
      reachable: this.reachable,
      persistent: this.persistent,
    }
  }

  private emit(): void {
    this.state = this.compute()
    for (const l of this.listeners) l(this.state)
  }

  /** Keep a new report on the phone, then try to send it at once. */
  async add(
    item: Omit<OutboxItem, 'owner' | 'state' | 'attempts' | 'nextAt' | 'createdAt'>,
  ): Promise<void> {
    await this.load()
    const full: OutboxItem = {
      ...item,
      owner: this.owner,
      state: 'waiting',
      attempts: 0,
      nextAt: 0,
      createdAt: Date.now(),
    }
    await this.storage!.put('outbox', full)
    this.items.push(full)
    this.emit()
    void this.flush(true)
  }

  /**
   * The reporter asks to send a refused item once more (the desk may have raised the photo quota).
   * One try: refused again, it stays failed with the desk's new message.
   */
  async retry(id: string): Promise<void> {
    await this.load()
    const item = this.items.find((i) => i.id === id && i.owner === this.owner)
    if (!item || item.state !== 'failed') return
    item.state = 'waiting'
    item.nextAt = 0
    await this.storage!.put('outbox', item)
    this.emit()
    await this.flush(true)
  }

  async remove(id: string): Promise<void> {
    await this.load()
    await this.storage!.remove('outbox', id)
    this.items = this.items.filter((i) => i.id !== id)
    this.emit()
  }

  /** Send what is due (everything when `force`). Runs one at a time; a call during a run schedules another. */
  async flush(force = false): Promise<void> {
    if (!this.storage) return
    if (this.running) {
      if (force) this.again = true
      return
    }
    this.running = true
    this.emit()
    try {
      do {
        this.again = false
        // Results first: they are what the desk is waiting for; photos are the heaviest.
        const order: Record<OutboxKind, number> = { result: 0, incident: 1, photo: 2 }
        const due = this.items
          .filter(
            (i) =>
              i.owner === this.owner && i.state === 'waiting' && (force || i.nextAt <= Date.now()),
          )
          .sort((a, b) => order[a.kind] - order[b.kind] || a.createdAt - b.createdAt)
        for (const item of due) {
          const outcome = await this.sendOne(item)
          this.reachable = !(outcome.kind === 'retry' && outcome.network)
          if (outcome.kind === 'done') {
            const record: SentItem = {
              id: item.id,
              owner: item.owner,
              kind: item.kind,
              label: item.label,
              ...(item.tps ? { tps: item.tps } : {}),
              ...(item.contest ? { contest: item.contest } : {}),
              ...(item.correction ? { correction: true } : {}),
              // Results and incidents keep their body: after a failover they may have to go again.
              ...(item.body && item.kind !== 'photo' ? { body: item.body } : {}),
              ...(item.photoRefused ? { photoRefused: item.photoRefused } : {}),
              ...(item.earlier ? { earlier: item.earlier } : {}),
              ...outcome.sent,
              at: Date.now(),
            }
            const desk = this.knownDesk()
            if (desk && item.kind !== 'photo' && this.reconciled) {
              record.dataFolder = desk.dataFolder
              desk.lastSeq = Math.max(desk.lastSeq, receiptSeq(record.receipt))
              this.rememberDesk(desk)
            }
            await this.storage.put('sent', record)
            await this.storage.remove('outbox', item.id)
            this.items = this.items.filter((i) => i.id !== item.id)
            this.sent = [record, ...this.sent.filter((s) => s.id !== record.id)]
            const photos = this.sent.filter((x) => x.kind === 'photo')
            const drop = new Set(
              [...photos.slice(KEEP_SENT_PHOTOS), ...this.sent.slice(KEEP_SENT)].map((x) => x.id),
            )
            for (const id of drop) await this.storage.remove('sent', id)
            this.sent = this.sent.filter((x) => !drop.has(x.id))
            this.lastProblem = null
          } else if (outcome.kind === 'retry') {
            item.attempts++
            item.nextAt =
              Date.now() +
              (outcome.after ?? BACKOFF_S[Math.min(item.attempts - 1, BACKOFF_S.length - 1)]!) *
                1000
            item.lastError = outcome.message
            this.lastProblem = outcome.message
            await this.storage.put('outbox', item)
          } else {
            item.state = 'failed'
            item.attempts++
            item.lastError = outcome.message
            if (outcome.code) item.lastCode = outcome.code
            else delete item.lastCode
            await this.storage.put('outbox', item)
          }
          this.emit()
          if (outcome.kind === 'retry' && outcome.stop) break
        }
      } while (this.again)
    } finally {
      this.running = false
      this.emit()
    }
  }

  private async sendOne(item: OutboxItem): Promise<Outcome> {
    try {
      if (item.kind === 'result') {
        const r = await call<{
          status: string
          receipt: string
          warnings: { message: string }[]
          replayOf?: string
        }>('POST', '/results', {
          body: item.body,
          headers: { 'X-Desk-Channel': 'web' },
        })
        const outcome =
          r.body.status === 'duplicate' && r.body.replayOf ? r.body.replayOf : r.body.status
        return {
          kind: 'done',
          sent: {
            receipt: r.body.receipt,
            outcome,
            warnings: r.body.warnings.map((w) => w.message),
          },
        }
      }
      if (item.kind === 'photo') return await this.sendPhoto(item)
      // An incident with a photo: the photo first (idempotent: named by its content), then the report.
      // Once the photo is settled (stored, or refused for good) the body is fixed and saved before the
      // report goes out, so every resend under this submissionId carries the same body.
      if (item.blob && !item.body?.photo) {
        try {
          const up = await call<{ photo: string }>('POST', `/photos?${item.query ?? ''}`, {
            body: item.blob,
            timeoutMs: 120_000,
          })
          item.body = { ...item.body, photo: up.body.photo }
        } catch (e) {
          if (!photoRefused(e)) throw e
          await this.setPhotoAside(item, e)
        }
        delete item.blob
        await this.storage!.put('outbox', item)
      }
      const r = await call<{ id: number; status: string }>('POST', '/incidents', {
        body: item.body,
      })
      // Its photo, set aside above or on an earlier try, now knows which incident to join.
      const aside = this.items.find((i) => i.id === refusedPhotoId(item.id))
      if (aside) {
        aside.incidentId = r.body.id
        await this.storage!.put('outbox', aside)
      }
      return {
        kind: 'done',
        sent: { receipt: `#${r.body.id}`, outcome: r.body.status, incidentId: r.body.id },
      }
    } catch (e) {
      return classify(e)
    }
  }

  /**
   * A photo: stored at its place; one taken for an incident (set aside when the desk refused it)
   * is then linked to that incident, so the operator sees it with the report. Both steps are
   * idempotent on the desk, and the stored name is kept, so a lost answer costs one resend.
   */
  private async sendPhoto(item: OutboxItem): Promise<Outcome> {
    // Photos set aside before items carried `forIncident` are still known by their fixed id.
    const suffix = refusedPhotoId('')
    const incidentRef =
      item.forIncident ?? (item.id.endsWith(suffix) ? item.id.slice(0, -suffix.length) : undefined)
    if (!item.photoFile) {
      const up = await call<{ photo: string }>('POST', `/photos?${item.query ?? ''}`, {
        body: item.blob,
        timeoutMs: 120_000,
      })
      if (!incidentRef) return { kind: 'done', sent: { outcome: 'stored' } }
      item.photoFile = up.body.photo
      await this.storage!.put('outbox', item)
    }
    const incident = incidentRef
      ? this.sent.find((s) => s.id === incidentRef && s.kind === 'incident')
      : undefined
    const deskId =
      item.incidentId ??
      incident?.incidentId ??
      (Number(/^#(\d+)$/.exec(incident?.receipt ?? '')?.[1]) || undefined)
    if (deskId === undefined) {
      const pending = this.items.find((i) => i.id === incidentRef)
      if (pending && pending.state === 'waiting') {
        return {
          kind: 'retry',
          message: 'Foto sudah di desk; menunggu laporan kejadiannya terkirim',
          stop: false,
        }
      }
      // The incident was refused or removed from this phone: the photo stays stored for its place.
      return { kind: 'done', sent: { outcome: 'stored' } }
    }
    await call('POST', `/incidents/${deskId}/photo`, { body: { photo: item.photoFile } })
    if (incident) {
      incident.photoAttached = true
      await this.storage!.put('sent', incident)
    }
    return { kind: 'done', sent: { outcome: 'attached', receipt: `#${deskId}` } }
  }

  /**
   * The desk refused an incident's photo for good (e.g. the reporter's photo quota is full): the
   * report's text must not wait on it. The photo stays on the phone as a refused photo of the same
   * place, with the desk's message, sent again only when the reporter asks.
   */
  private async setPhotoAside(incident: OutboxItem, e: HttpError): Promise<void> {
    const photo: OutboxItem = {
      id: refusedPhotoId(incident.id),
      owner: incident.owner,
      kind: 'photo',
      createdAt: incident.createdAt,
      label: `Foto ${incident.label.charAt(0).toLowerCase()}${incident.label.slice(1)}`,
      ...(incident.tps ? { tps: incident.tps } : {}),
      blob: incident.blob!,
      ...(incident.query ? { query: incident.query } : {}),
      state: 'failed',
      attempts: 1,
      nextAt: 0,
      lastError: e.message,
      ...(e.code ? { lastCode: e.code } : {}),
      forIncident: incident.id,
    }
    await this.storage!.put('outbox', photo)
    this.items = [...this.items.filter((i) => i.id !== photo.id), photo]
    incident.photoRefused = e.message
    delete incident.query
  }
}
