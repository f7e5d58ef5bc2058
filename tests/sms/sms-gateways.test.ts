import Database from 'better-sqlite3'
import { isUtf8 } from 'node:buffer'
import { createHash, createHmac } from 'node:crypto'
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SmsStore } from '../../src/store/sms-store'
import { DESA_A, DESA_B, startDesk, tpsCsv, type TestDesk } from '../helpers/desk'

const SIGNING_KEY = 'kunci-tanda-tangan-uji'
const REPORTER_PHONE = '0812-1111-0001' // desa reporter of Padomasan (DESA_A)
const OFFICER_PHONE = '+62 812 1111 0002' // kecamatan officer of Jombang

/** UTF-16 big-endian after FE FF: what gammu writes with `inboxformat = unicode`. */
function utf16be(text: string): Buffer {
  const le = Buffer.from(text, 'utf16le')
  const be = Buffer.from(le).swap16()
  return Buffer.concat([Buffer.from([0xfe, 0xff]), be])
}

describe('results by SMS through both gateways', () => {
  let desk: TestDesk
  let clock = Date.parse('2024-11-27T07:00:00Z')
  let root: string
  let inbox: string
  let outbox: string
  let fake: Server
  const androidSent: {
    auth: string | undefined
    body: { message: string; phoneNumbers: string[] }
  }[] = []
  let reporterCode: string
  let officerCode: string
  let reporterId: string
  let fileSerial = 0

  const advance = (ms: number) => (clock += ms)
  const scan = () => desk.gammu!.scan()
  const outboxTexts = () =>
    readdirSync(outbox)
      .filter((n) => n.startsWith('OUT'))
      .sort()
      .map((n) => ({ name: n, text: readFileSync(join(outbox, n), 'utf8') }))

  /** Write an inbox file as gammu names it; returns its name. */
  function inboxFile(
    sender: string,
    body: Buffer | string,
    part = 0,
    serial = fileSerial++ % 100,
    stamp = '20241127_140000',
  ): string {
    const name = `IN${stamp}_${String(serial).padStart(2, '0')}_${sender}_${String(part).padStart(2, '0')}.txt`
    writeFileSync(join(inbox, name), body)
    return name
  }

  /** Deliver one gammu message: written, seen, settled, read. */
  async function viaGammu(
    sender: string,
    text: string,
    encoding: 'utf16' | 'utf8' = 'utf8',
    stamp?: string,
  ): Promise<number> {
    inboxFile(sender, encoding === 'utf16' ? utf16be(text) : text, 0, fileSerial++ % 100, stamp)
    await scan()
    advance(2500)
    return scan()
  }

  function webhook(
    payload: unknown,
    options: { key?: string; timestamp?: number; signature?: string } = {},
  ) {
    const raw = JSON.stringify(payload)
    const ts = String(Math.floor((options.timestamp ?? clock) / 1000))
    const sig =
      options.signature ??
      createHmac('sha256', options.key ?? SIGNING_KEY)
        .update(raw + ts)
        .digest('hex')
    return fetch(`${desk.url}/api/v1/sms/android`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-timestamp': ts, 'x-signature': sig },
      body: raw,
    })
  }

  const received = (phoneNumber: string, message: string, receivedAt: string) => ({
    deviceId: 'ffffffffceb0b1db0000018e937c815b',
    event: 'sms:received',
    id: 'Ey6ECgOkVVFjz3CL48B8C',
    payload: { messageId: 'abc123', message, phoneNumber, simNumber: 1, receivedAt },
    webhookId: 'w1',
  })

  const result = async (tps: string, contest: string) => {
    const r = await desk.call('GET', `/tps/${tps}`)
    return r.body.results.find((x: { contest: string }) => x.contest === contest)
  }
  const submissionsCount = () => {
    const db = new Database(join(desk.dataDir, 'desk.sqlite'), { readonly: true })
    const n = (
      db.prepare("SELECT count(*) AS n FROM submissions WHERE channel = 'sms'").get() as {
        n: number
      }
    ).n
    db.close()
    return n
  }
  const messages = async () => (await desk.call('GET', '/sms')).body

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'desk-sms-'))
    inbox = join(root, 'inbox')
    outbox = join(root, 'outbox')
    mkdirSync(inbox)
    // The phone's local server: records what the desk asks it to send.
    fake = createServer((req, res) => {
      let data = ''
      req.on('data', (c) => (data += c))
      req.on('end', () => {
        if (req.method === 'POST' && req.url === '/message') {
          androidSent.push({ auth: req.headers.authorization, body: JSON.parse(data) })
          res.writeHead(202, { 'content-type': 'application/json' })
          res.end(JSON.stringify({ id: `m${androidSent.length}`, state: 'Pending' }))
        } else {
          res.writeHead(404).end()
        }
      })
    })
    await new Promise<void>((ok) => fake.listen(0, '127.0.0.1', ok))
    desk = await startDesk({
      now: () => new Date(clock),
      sms: {
        gammu: { inbox, outbox, pollMs: 0, settleMs: 2000 },
        android: {
          url: `http://127.0.0.1:${(fake.address() as AddressInfo).port}`,
          user: 'sms',
          password: 'rahasia-ponsel',
          signingKey: SIGNING_KEY,
        },
      },
    })
    expect((await desk.call('POST', '/tps/import', tpsCsv([DESA_A, DESA_B], 5, 400))).status).toBe(
      200,
    )
    const rep = await desk.call('POST', '/users', {
      name: 'Siti Padomasan',
      phone: REPORTER_PHONE,
      role: 'reporter',
      region: DESA_A,
    })
    expect(rep.status).toBe(201)
    reporterCode = rep.body.smsCode
    reporterId = rep.body.id
    const off = await desk.call('POST', '/users', {
      name: 'Budi Jombang',
      phone: OFFICER_PHONE,
      role: 'reporter',
      region: '35.09.01',
    })
    officerCode = off.body.smsCode
  })
  afterAll(async () => {
    await desk.stop()
    await new Promise<void>((ok) => fake.close(() => ok()))
    rmSync(root, { recursive: true, force: true })
  })

  describe('SMS codes', () => {
    it('are issued with the access code, 4 characters of its alphabet, and stored only hashed', async () => {
      expect(reporterCode).toMatch(/^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{4}$/)
      const imp = await desk.call(
        'POST',
        '/users/import',
        `nama,hp,peran,kode_wilayah\nAni Keting,0812-1111-0009,pelapor,${DESA_B}\n`,
      )
      expect(imp.status).toBe(201)
      expect(imp.body.users[0].smsCode).toMatch(/^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{4}$/)
      const db = new Database(join(desk.dataDir, 'desk.sqlite'), { readonly: true })
      const rows = db.prepare('SELECT * FROM sms_codes').all() as { code_hash: string }[]
      db.close()
      expect(rows).toHaveLength(3)
      for (const r of rows) expect(r.code_hash).toMatch(/^scrypt\$/)
      expect(JSON.stringify(rows)).not.toContain(reporterCode)
    })
  })

  describe('gammu files backend', () => {
    it('counts a UTF-16 message, answers through the outbox and moves the file to processed/', async () => {
      const name = `IN20241127_140500_00_+6281211110001_00.txt`
      writeFileSync(join(inbox, name), utf16be(`${reporterCode} 3 B 120 150 TS 6`))
      expect(await scan()).toBe(0) // just seen: not settled yet
      advance(2500)
      expect(await scan()).toBe(1)
      expect(await result(`${DESA_A}.003`, 'bupati')).toMatchObject({
        votes: { '1': 120, '2': 150 },
        invalid: 6,
      })
      expect(existsSync(join(root, 'processed', name))).toBe(true)
      expect(readdirSync(inbox)).not.toContain(name)
      const [reply] = outboxTexts()
      expect(reply!.name).toMatch(/^OUTA\d{8}_\d{6}_\d{2}_\+6281211110001_desk[0-9a-f]+\.txt$/)
      expect(reply!.text).toMatch(
        /^DITERIMA \d{6}-[0-9A-F]{4} TPS003 Padomasan BUPATI 1=120 2=150 TS=6$/,
      )
      expect(reply!.text.length).toBeLessThanOrEqual(160)
      // gammu-smsd runs as its own user: the reply must be readable by it.
      expect(statSync(join(outbox, reply!.name)).mode & 0o777).toBe(0o644)
      // The log keeps the text with the code masked.
      const sms = await messages()
      const inMsg = sms.messages.find((m: { direction: string }) => m.direction === 'in')
      expect(inMsg).toMatchObject({
        status: 'counted',
        text: '**** 3 B 120 150 TS 6',
        tps: `${DESA_A}.003`,
        reporter: { id: reporterId },
      })
    })

    it('reads a UTF-8 message and joins a multipart one, two contests at once', async () => {
      const first = inboxFile(
        '+6281211110001',
        `${reporterCode} 4 G 10 20 30 `,
        0,
        7,
        '20241127_141000',
      )
      inboxFile('+6281211110001', 'TS 2 B 120 150 TS 6', 1, 7, '20241127_141001')
      await scan()
      advance(2500)
      expect(await scan()).toBe(1)
      expect(await result(`${DESA_A}.004`, 'gubernur')).toMatchObject({
        votes: { '1': 10, '2': 20, '3': 30 },
        invalid: 2,
      })
      expect(await result(`${DESA_A}.004`, 'bupati')).toMatchObject({
        votes: { '1': 120, '2': 150 },
        invalid: 6,
      })
      expect(existsSync(join(root, 'processed', first))).toBe(true)
      expect(readdirSync(inbox).filter((n) => n.startsWith('IN'))).toEqual([])
      const reply = outboxTexts().at(-1)!.text
      // 62 votes of a DPT of 300 for the governor: counted, flagged, and the reporter asked to look
      // again — shortly, as two contests' receipts and numbers leave no room for the whole check.
      expect(reply).toMatch(
        /^DITERIMA TPS004 Padomasan GUBERNUR 1=10 2=20 3=30 TS=2 \(\d{6}-[0-9A-F]{4}\) BUPATI 1=120 2=150 TS=6 \(\d{6}-[0-9A-F]{4}\) PERIKSA GUBERNUR: ditandai untuk diperiksa desk\.$/,
      )
    })

    it('never reads a file half-way while gammu is still writing it', async () => {
      const name = inboxFile('+6281211110001', Buffer.from([0xfe, 0xff]), 0, 11, '20241127_142000')
      const full = utf16be(`${reporterCode} 5 B 201 99 TS 4`).subarray(2)
      const path = join(inbox, name)
      const before = submissionsCount()
      for (let i = 0; i < full.length; i += 7) {
        appendFileSync(path, full.subarray(i, i + 7)) // odd chunks: half characters on the way
        expect(await scan()).toBe(0)
        advance(1500) // each pause shorter than the settle time
      }
      expect(submissionsCount()).toBe(before)
      advance(2500)
      expect(await scan()).toBe(1)
      expect(await result(`${DESA_A}.005`, 'bupati')).toMatchObject({
        votes: { '1': 201, '2': 99 },
        invalid: 4,
      })
    })

    it('counts a message delivered twice once, and answers it once', async () => {
      const text = `${reporterCode} 1 B 77 88 TS 1`
      await viaGammu('+6281211110001', text, 'utf8', '20241127_143000')
      const subs = submissionsCount()
      const replies = outboxTexts().length
      // gammu (or the modem) hands the very same message again
      inboxFile('+6281211110001', text, 0, 40, '20241127_143000')
      await scan()
      advance(2500)
      await scan()
      expect(submissionsCount()).toBe(subs)
      expect(outboxTexts()).toHaveLength(replies)
      expect(readdirSync(join(root, 'processed')).filter((n) => n.includes('143000'))).toHaveLength(
        2,
      )
      // The same numbers sent again by the reporter (a new message): a confirmation, not a second count.
      await viaGammu('+6281211110001', text, 'utf8', '20241127_143500')
      expect(outboxTexts().at(-1)!.text).toMatch(
        /^SUDAH ADA \d{6}-[0-9A-F]{4} TPS001 Padomasan BUPATI 1=77 2=88 TS=1$/,
      )
      expect(await result(`${DESA_A}.001`, 'bupati')).toMatchObject({ votes: { '1': 77, '2': 88 } })
    })

    it('reads again a message the desk stored but stopped before counting (no loss after a crash)', async () => {
      const text = `${reporterCode} 1 G 31 32 33 TS 3`
      const sentAt = '2024-11-27T14:33:00'
      const key = createHash('sha256').update(`6281211110001\n${sentAt}\n${text}`).digest('hex')
      // As the first write of a message leaves it, had the desk stopped right after.
      await desk.service.write(() =>
        new SmsStore(desk.store.db).insert({
          direction: 'in',
          gateway: 'gammu',
          phone: '6281211110001',
          at: new Date(clock).toISOString(),
          sentAt,
          text: '****',
          userId: null,
          status: 'received',
          detail: {},
          key,
          replyTo: null,
        }),
      )
      await viaGammu('+6281211110001', text, 'utf8', '20241127_143300')
      expect(await result(`${DESA_A}.001`, 'gubernur')).toMatchObject({
        votes: { '1': 31, '2': 32, '3': 33 },
        invalid: 3,
      })
      expect(outboxTexts().at(-1)!.text).toMatch(
        /^DITERIMA .* TPS001 GUBERNUR 1=31 2=32 3=33 TS=3 PERIKSA: Partisipasi sangat rendah: 99 suara dari DPT \d+\. Salah\? Kirim ulang, KOREKSI sesudah kode\.$/,
      )
    })

    it('refuses what it cannot read, says how to fix it, and keeps what it read for the phoned-in form', async () => {
      await viaGammu('+6281211110001', `${reporterCode} 2 B 120 150 90 TS 6`)
      const reply = outboxTexts().at(-1)!.text
      expect(reply).toBe(
        `SALAH: jumlah paslon Bupati 2, diterima 3 angka. Contoh: ${reporterCode} 3 B 120 150 TS 6`,
      )
      const m = (await messages()).messages.find(
        (x: { direction: string; status: string }) =>
          x.direction === 'in' && x.status === 'refused',
      )
      expect(m).toMatchObject({
        reason: 'jumlah paslon Bupati 2, diterima 3 angka',
        prefill: { tps: `${DESA_A}.002`, contest: 'bupati' },
      })
      // The C.Hasil check refuses a sheet with more voters than the TPS can have: kept as a refusal.
      await viaGammu('+6281211110001', `${reporterCode} 2 B 600 450 TS 6`)
      const refused = outboxTexts().at(-1)!.text
      expect(refused).toMatch(/^SALAH TPS002 Bupati: /)
      expect(refused).toMatch(/melebihi kapasitas satu TPS/)
      expect(refused.length).toBeLessThanOrEqual(160)
      const last = (await messages()).messages.find(
        (x: { direction: string }) => x.direction === 'in',
      )
      expect(last).toMatchObject({
        status: 'refused',
        prefill: {
          tps: `${DESA_A}.002`,
          contest: 'bupati',
          votes: { '1': 600, '2': 450 },
          invalid: 6,
        },
      })
    })

    it('lets a kecamatan officer name the desa, and holds a KOREKSI for a supervisor', async () => {
      await viaGammu('+6281211110002', `${officerCode} KETING 2 B 60 70 TS 3`)
      expect(outboxTexts().at(-1)!.text).toMatch(
        /^DITERIMA \d{6}-[0-9A-F]{4} TPS002 Keting BUPATI 1=60 2=70 TS=3$/,
      )
      await viaGammu('+6281211110002', `${officerCode} KOREKSI KETING 2 B 61 70 TS 2`)
      expect(outboxTexts().at(-1)!.text).toMatch(
        /^KOREKSI MENUNGGU SUPERVISOR \d{6}-[0-9A-F]{4} TPS002 Keting BUPATI 1=61 2=70 TS=2$/,
      )
      const tps = (await desk.call('GET', `/tps/${DESA_B}.002`)).body
      expect(tps.results[0]).toMatchObject({ votes: { '1': 60, '2': 70 } }) // the standing result is not overwritten
      expect(tps.conflicts).toEqual([
        expect.objectContaining({ kind: 'correction', status: 'open' }),
      ])
    })

    it('tells an officer a doubtful sheet was counted, keeps the desa read back, and the hint corrects it', async () => {
      // 18 votes of the DPT: counted, flagged as very low turnout.
      await viaGammu('+6281211110002', `${officerCode} KETING 1 G 5 6 7 TS 0`)
      const reply = outboxTexts().at(-1)!.text
      expect(reply.length).toBeLessThanOrEqual(160)
      expect(reply).toMatch(
        /^DITERIMA \d{6}-[0-9A-F]{4} TPS001 Keting GUBERNUR 1=5 2=6 3=7 TS=0 PERIKSA: /,
      )
      expect(reply).toMatch(/PERIKSA: .*Salah\? Kirim ulang, KOREKSI sesudah kode\.$/)
      // As the hint says: the same message again, KOREKSI after the code, the right numbers.
      await viaGammu('+6281211110002', `${officerCode} KOREKSI KETING 1 G 50 60 70 TS 2`)
      expect(outboxTexts().at(-1)!.text).toMatch(
        /^KOREKSI MENUNGGU SUPERVISOR \d{6}-[0-9A-F]{4} TPS001 Keting GUBERNUR 1=50 2=60 3=70 TS=2$/,
      )
    })

    it('gives unknown numbers no reply and lists them for operators', async () => {
      const replies = outboxTexts().length
      await viaGammu('+6289999999999', 'HALO 3 B 1 2 TS 3')
      expect(outboxTexts()).toHaveLength(replies)
      const sms = await messages()
      expect(sms.unknown).toEqual([expect.objectContaining({ phone: '6289999999999', count: 1 })])
      expect(sms.messages[0]).toMatchObject({ status: 'unknown_number', reporter: null })
    })
  })

  describe('Android webhook', () => {
    it("counts a signed sms:received and replies through the phone's local API", async () => {
      const res = await webhook(
        received(
          '+6281211110001',
          `${reporterCode} 3 G 100 200 50 TS 5`,
          '2024-11-27T14:46:11.000+07:00',
        ),
      )
      expect(res.status).toBe(200)
      expect(await res.json()).toMatchObject({ status: 'counted', duplicateDelivery: false })
      expect(await result(`${DESA_A}.003`, 'gubernur')).toMatchObject({
        votes: { '1': 100, '2': 200, '3': 50 },
        invalid: 5,
      })
      expect(androidSent).toHaveLength(1)
      expect(androidSent[0]!.auth).toBe(
        'Basic ' + Buffer.from('sms:rahasia-ponsel').toString('base64'),
      )
      expect(androidSent[0]!.body.phoneNumbers).toEqual(['+6281211110001'])
      expect(androidSent[0]!.body.message).toMatch(
        /^DITERIMA \d{6}-[0-9A-F]{4} TPS003 Padomasan GUBERNUR 1=100 2=200 3=50 TS=5$/,
      )
      const out = (await messages()).messages.find(
        (m: { direction: string; gateway: string }) =>
          m.direction === 'out' && m.gateway === 'android',
      )
      expect(out).toMatchObject({ status: 'sent' })
    })

    it('counts a retried delivery once and does not answer it again', async () => {
      const payload = received(
        '081211110001',
        `${reporterCode} 4 B 10 11 TS 0`,
        '2024-11-27T14:50:00.000+07:00',
      )
      const subs = submissionsCount()
      expect((await webhook(payload)).status).toBe(200)
      advance(10_000) // the app retries after 10 s, signing again
      const again = await webhook(payload)
      expect(await again.json()).toMatchObject({ duplicateDelivery: true })
      // the TPS's bupati was reported by gammu earlier: this one is held as a conflict, once
      expect(submissionsCount()).toBe(subs + 1)
      expect(androidSent).toHaveLength(2)
      expect(androidSent[1]!.body.message).toMatch(/^BEDA, DIPERIKSA SUPERVISOR/)
    })

    it('acknowledges an empty SMS (200, stored as refused) so the phone does not retry it for days', async () => {
      const sent = androidSent.length
      const res = await webhook(received('+6281211110001', '', '2024-11-27T14:55:00.000+07:00'))
      expect(res.status).toBe(200)
      const body = await res.json()
      expect(body).toMatchObject({ status: 'refused', duplicateDelivery: false })
      expect(androidSent).toHaveLength(sent + 1)
      expect(androidSent.at(-1)!.body.message).toMatch(/^SALAH: pesan kosong\. /)
      const stored = (await messages()).messages.find((m: { id: number }) => m.id === body.id)
      expect(stored).toMatchObject({
        direction: 'in',
        status: 'refused',
        reason: 'pesan kosong',
        text: '',
      })
      // From a stranger: acknowledged too, and no reply.
      const stranger = await webhook(
        received('+6289911112222', '', '2024-11-27T14:56:00.000+07:00'),
      )
      expect(stranger.status).toBe(200)
      expect(await stranger.json()).toMatchObject({ status: 'unknown_number' })
      expect(androidSent).toHaveLength(sent + 1)
    })

    it('refuses a forged, unsigned or stale request, counting nothing', async () => {
      const payload = received(
        '+6281211110001',
        `${reporterCode} 5 G 1 2 3 TS 0`,
        '2024-11-27T15:00:00.000+07:00',
      )
      const subs = submissionsCount()
      const forged = await webhook(payload, { key: 'kunci-lain' })
      expect(forged.status).toBe(401)
      expect((await forged.json()).error.message).toMatch(/tanda tangan tidak cocok/)
      const unsigned = await fetch(`${desk.url}/api/v1/sms/android`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(payload),
      })
      expect(unsigned.status).toBe(401)
      const stale = await webhook(payload, { timestamp: clock - 6 * 60_000 })
      expect(stale.status).toBe(401)
      expect((await stale.json()).error.message).toMatch(/5 menit/)
      expect(submissionsCount()).toBe(subs)
      // other events of the app are acknowledged and ignored
      const ping = await webhook({ event: 'system:ping', payload: { health: {} } })
      expect(await ping.json()).toEqual({ ignored: 'system:ping' })
    })
  })

  describe('lockout of wrong SMS codes', () => {
    it('blocks a number for 10 minutes after five wrong codes, then lets the right code through', async () => {
      const wrong = reporterCode === 'ZZZZ' ? 'YYYY' : 'ZZZZ'
      const before = androidSent.length
      for (let i = 1; i <= 5; i++) {
        const r = await webhook(
          received('+6281211110001', `${wrong} 2 G 1 2 3 TS 0`, `2024-11-27T15:1${i}:00.000+07:00`),
        )
        expect(await r.json()).toMatchObject({ status: 'wrong_code' })
      }
      const replies = androidSent.slice(before).map((s) => s.body.message)
      expect(replies[0]).toMatch(/^SALAH: kode SMS salah\..*Sisa 4 kali/)
      expect(replies[3]).toMatch(/Sisa 1 kali/)
      expect(replies[4]).toMatch(/^DIBLOKIR 10 menit/)
      for (const r of replies) expect(r).not.toContain(reporterCode)
      // blocked: even the right code is not read, and nothing is answered
      const blocked = await webhook(
        received(
          '+6281211110001',
          `${reporterCode} 2 G 1 2 3 TS 0`,
          '2024-11-27T15:20:00.000+07:00',
        ),
      )
      expect(await blocked.json()).toMatchObject({ status: 'locked' })
      expect(androidSent.length).toBe(before + 5)
      expect(await result(`${DESA_A}.002`, 'gubernur')).toBeUndefined()
      // another reporter's number is not affected
      await viaGammu('+6281211110002', `${officerCode} KETING 3 G 5 6 7 TS 0`)
      expect(outboxTexts().at(-1)!.text).toMatch(/^DITERIMA/)
      advance(10 * 60_000 + 1000)
      const after = await webhook(
        received(
          '+6281211110001',
          `${reporterCode} 2 G 1 2 3 TS 0`,
          '2024-11-27T15:31:00.000+07:00',
        ),
      )
      expect(await after.json()).toMatchObject({ status: 'counted' })
      expect(await result(`${DESA_A}.002`, 'gubernur')).toMatchObject({
        votes: { '1': 1, '2': 2, '3': 3 },
      })
    })

    it('a reissued card changes the SMS code: the old one stops working', async () => {
      const r = await desk.call('POST', `/users/${reporterId}/reissue`)
      expect(r.body.smsCode).toMatch(/^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{4}$/)
      if (r.body.smsCode === reporterCode) return // 1 in 923,521
      const old = await webhook(
        received('+6281211110001', `${reporterCode} 5 B 1 2 TS 0`, '2024-11-27T15:40:00.000+07:00'),
      )
      expect(await old.json()).toMatchObject({ status: 'wrong_code' })
      const fresh = await webhook(
        received(
          '+6281211110001',
          `${r.body.smsCode} 5 G 1 2 3 TS 0`,
          '2024-11-27T15:41:00.000+07:00',
        ),
      )
      expect(await fresh.json()).toMatchObject({ status: 'counted' })
    })
  })

  describe('lone UTF-16 surrogates from either gateway', () => {
    it('stores a UCS-2 message ending in half an emoji as valid UTF-8, the half replaced by U+FFFD', async () => {
      // The first part of a multipart SMS cut between the two halves of 😀: a lone U+D83D at its end.
      const raw = utf16be('Halo desk \ud83d')
      expect(raw.subarray(-2)).toEqual(Buffer.from([0xd8, 0x3d]))
      inboxFile('+6289900001111', raw, 0, 31, '20241127_141500')
      await scan()
      advance(2500)
      expect(await scan()).toBe(1)
      const db = new Database(join(desk.dataDir, 'desk.sqlite'), { readonly: true })
      const row = db
        .prepare(
          "SELECT CAST(text AS BLOB) AS b FROM sms_messages WHERE direction = 'in' AND phone = '6289900001111'",
        )
        .get() as { b: Buffer }
      db.close()
      expect(isUtf8(row.b)).toBe(true)
      expect(row.b.toString('utf8')).toBe('Halo desk \uFFFD')
    })

    it('stores a webhook message holding a lone surrogate as valid UTF-8, the half replaced by U+FFFD', async () => {
      // JSON.stringify writes a lone surrogate as the escape `\ud83d`, which JSON.parse turns back into one.
      const res = await webhook(
        received('+6289900002222', 'Salam \ud83d dari ponsel', '2024-11-27T14:57:00.000+07:00'),
      )
      expect(res.status).toBe(200)
      const { id } = await res.json()
      const db = new Database(join(desk.dataDir, 'desk.sqlite'), { readonly: true })
      const row = db
        .prepare('SELECT CAST(text AS BLOB) AS b FROM sms_messages WHERE id = ?')
        .get(id) as { b: Buffer }
      db.close()
      expect(isUtf8(row.b)).toBe(true)
      expect(row.b.toString('utf8')).toBe('Salam \uFFFD dari ponsel')
    })
  })
})
