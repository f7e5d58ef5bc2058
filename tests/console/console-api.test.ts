import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sheetDifferences } from '../../src/service/console-service'
import { migrate } from '../../src/store/db'
import { MIGRATIONS } from '../../src/store/migrations'
import {
  ADMIN_TOKEN,
  DESA_A,
  DESA_B,
  DESA_C,
  sid,
  startDesk,
  tpsCsv,
  type TestDesk,
} from '../helpers/desk'

const TPS_A1 = `${DESA_A}.001`
const TPS_A2 = `${DESA_A}.002`
const TPS_B1 = `${DESA_B}.001`
const TPS_B2 = `${DESA_B}.002`
const TPS_C1 = `${DESA_C}.001`

const gub = (a: number, b: number, c: number, invalid = 5) => ({
  votes: { '1': a, '2': b, '3': c },
  invalid,
})
const bup = (a: number, b: number, invalid = 5) => ({ votes: { '1': a, '2': b }, invalid })

describe('console API: decisions, audit, chase list, double entry, history', () => {
  let desk: TestDesk
  const codes: Record<string, string> = {}
  const ids: Record<string, string> = {}

  const send = (
    token: string,
    tps: string,
    contest: string,
    sheet: object,
    extra: object = {},
    channel?: string,
  ) =>
    desk.call(
      'POST',
      '/results',
      { submissionId: sid(), tps, contest, ...sheet, ...extra },
      token,
      channel ? { 'X-Desk-Channel': channel } : {},
    )

  beforeAll(async () => {
    desk = await startDesk()
    expect(
      (await desk.call('POST', '/tps/import', tpsCsv([DESA_A, DESA_B, DESA_C], 2, 300))).status,
    ).toBe(200)
    const people = [
      ['operator1', 'Operator Satu', 'operator', undefined],
      ['operator2', 'Operator Dua', 'operator', undefined],
      ['supervisor', 'Supervisor Malam', 'supervisor', undefined],
      ['reporterA', 'Pelapor Padomasan', 'reporter', DESA_A],
      ['reporterB', 'Pelapor Keting', 'reporter', DESA_B],
      ['display', 'Papan Dinding', 'display', undefined],
    ] as const
    for (const [key, name, role, region] of people) {
      const res = await desk.call('POST', '/users', {
        name,
        phone: '0812 3456 7890',
        role,
        ...(region ? { region } : {}),
      })
      expect(res.status).toBe(201)
      codes[key] = res.body.accessCode
      ids[key] = res.body.id
    }
  })

  afterAll(async () => {
    await desk?.stop()
  })

  it('lets an operator see the review queue but not decide: 403 for operators, reporters and displays', async () => {
    expect((await send(codes.reporterA!, TPS_A1, 'gubernur', gub(100, 80, 60))).status).toBe(201)
    const conflict = await send(
      codes.operator1!,
      TPS_A1,
      'gubernur',
      gub(101, 80, 60),
      { caller: { name: 'Pak Budi', phone: '0811' } },
      'telepon',
    )
    expect(conflict.status).toBe(202)
    const id = conflict.body.conflictId as number

    const list = await desk.call('GET', '/conflicts', undefined, codes.operator1)
    expect(list.status).toBe(200)
    const c = list.body.conflicts.find((x: any) => x.id === id)
    expect(c.standing.sheet.votes['1']).toBe(100)
    expect(c.incoming.sheet.votes['1']).toBe(101)
    expect(c.incoming.channel).toBe('telepon')
    expect(c.incoming.caller).toEqual({ name: 'Pak Budi', phone: '0811' })
    expect(c.incoming.actor.name).toBe('Operator Satu')
    expect(c.standing.actor.name).toBe('Pelapor Padomasan')
    expect(c.differences).toEqual(['votes.1'])

    const body = { keep: 'new', reason: 'Penelepon membaca ulang dari C.Hasil' }
    for (const who of ['operator1', 'reporterA', 'display'] as const) {
      const res = await desk.call('POST', `/conflicts/${id}/resolve`, body, codes[who])
      expect(res.status).toBe(403)
      expect(res.body.error.code).toBe('forbidden')
    }
    expect((await desk.call('GET', '/conflicts', undefined, codes.reporterA)).status).toBe(403)
    expect(
      (
        await desk.call(
          'POST',
          `/results/${TPS_A1}/gubernur/review`,
          { action: 'confirm', reason: 'sudah dicek' },
          codes.operator1,
        )
      ).status,
    ).toBe(403)
    // Nothing moved.
    const recap = await desk.call('GET', `/recap?contest=gubernur&level=tps&parent=${DESA_A}`)
    expect(recap.body.rows.find((r: any) => r.code === TPS_A1).votes['1']).toBe(100)
  })

  it('a supervisor keeps the new report with a written reason: the result, recap, audit, history and events follow', async () => {
    const open = (await desk.call('GET', '/conflicts', undefined, codes.supervisor)).body.conflicts
    const c = open.find((x: any) => x.tps.code === TPS_A1 && x.contest === 'gubernur')
    const before = desk.store.submissionsForTps(TPS_A1).length
    const lastEvent = desk.store.lastEventId()

    const noReason = await desk.call(
      'POST',
      `/conflicts/${c.id}/resolve`,
      { keep: 'new', reason: ' ' },
      codes.supervisor,
    )
    expect(noReason.status).toBe(400)
    expect(noReason.body.error.fields.reason).toMatch(/Alasan/)

    const res = await desk.call(
      'POST',
      `/conflicts/${c.id}/resolve`,
      { keep: 'new', reason: 'Penelepon membaca ulang dari C.Hasil' },
      codes.supervisor,
    )
    expect(res.status).toBe(200)
    expect(res.body.changed).toBe(true)
    expect(res.body.result.votes['1']).toBe(101)

    const recap = await desk.call('GET', `/recap?contest=gubernur&level=tps&parent=${DESA_A}`)
    expect(recap.body.rows.find((r: any) => r.code === TPS_A1).votes['1']).toBe(101)
    // The log is only appended to; a decision to keep an existing report adds no submission.
    expect(desk.store.submissionsForTps(TPS_A1).length).toBe(before)

    const again = await desk.call(
      'POST',
      `/conflicts/${c.id}/resolve`,
      { keep: 'standing', reason: 'keputusan kedua' },
      codes.supervisor,
    )
    expect(again.status).toBe(409)
    expect(again.body.error.message).toMatch(/Supervisor Malam/)

    const audit = (await desk.call('GET', '/audit')).body.entries
    const entry = audit.find(
      (e: any) => e.action === 'review.conflict' && e.detail.conflictId === c.id,
    )
    expect(entry.actor).toBe(ids.supervisor)
    expect(entry.detail.reason).toBe('Penelepon membaca ulang dari C.Hasil')
    expect(entry.detail.keep).toBe('new')

    const events = desk.store.eventsAfter(lastEvent).map((e) => e.type)
    expect(events).toEqual(expect.arrayContaining(['result.updated', 'conflict.resolved']))

    const history = (await desk.call('GET', `/tps/${TPS_A1}/history`, undefined, codes.operator2))
      .body
    const actions = history.entries
      .filter((e: any) => e.contest === 'gubernur')
      .map((e: any) => e.action)
    expect(actions).toEqual(['submission.accepted', 'submission.conflict', 'decision.new'])
    const decision = history.entries.find((e: any) => e.action === 'decision.new')
    expect(decision.actor.name).toBe('Supervisor Malam')
    expect(decision.reason).toBe('Penelepon membaca ulang dari C.Hasil')
    expect(history.results.find((r: any) => r.contest === 'gubernur').sheet.votes['1']).toBe(101)
    expect(
      (await desk.call('GET', '/conflicts?status=resolved', undefined, codes.operator1)).body
        .conflicts[0].resolution.reason,
    ).toBe('Penelepon membaca ulang dari C.Hasil')
  })

  it('keeping the standing result changes nothing but closes the conflict', async () => {
    expect((await send(codes.reporterA!, TPS_A2, 'bupati', bup(150, 100))).status).toBe(201)
    const conflict = await send(
      codes.operator1!,
      TPS_A2,
      'bupati',
      bup(150, 10),
      { caller: { name: 'X' } },
      'telepon',
    )
    const lastEvent = desk.store.lastEventId()
    const res = await desk.call(
      'POST',
      `/conflicts/${conflict.body.conflictId}/resolve`,
      { keep: 'standing', reason: 'Salah ketik penelepon' },
      codes.supervisor,
    )
    expect(res.status).toBe(200)
    expect(res.body.changed).toBe(false)
    expect(res.body.result.votes['2']).toBe(100)
    const events = desk.store.eventsAfter(lastEvent).map((e) => e.type)
    expect(events).toContain('conflict.resolved')
    expect(events).not.toContain('result.updated')
    expect(
      (await desk.call('GET', '/conflicts', undefined, codes.operator1)).body.conflicts.some(
        (c: any) => c.id === conflict.body.conflictId,
      ),
    ).toBe(false)
  })

  it('a corrected sheet is checked, appended to the log as channel tinjau, and becomes the result', async () => {
    expect((await send(codes.reporterB!, TPS_B1, 'bupati', bup(120, 90))).status).toBe(201)
    const conflict = await send(codes.reporterB!, TPS_B1, 'bupati', bup(121, 90), {
      correction: { reason: 'salah hitung paslon 1' },
    })
    expect(conflict.status).toBe(202)
    const id = conflict.body.conflictId
    const listed = (await desk.call('GET', `/conflicts/${id}`, undefined, codes.operator1)).body
    expect(listed.kind).toBe('correction')
    expect(listed.incoming.correctionReason).toBe('salah hitung paslon 1')

    const missing = await desk.call(
      'POST',
      `/conflicts/${id}/resolve`,
      { keep: 'corrected', reason: 'Dicek dengan foto C.Hasil' },
      codes.supervisor,
    )
    expect(missing.status).toBe(400)
    expect(missing.body.error.fields.sheet).toBeDefined()
    const bad = await desk.call(
      'POST',
      `/conflicts/${id}/resolve`,
      {
        keep: 'corrected',
        reason: 'Dicek dengan foto C.Hasil',
        sheet: { votes: { '1': -1, '2': 90 }, invalid: 5 },
      },
      codes.supervisor,
    )
    expect(bad.status).toBe(400)
    expect(Object.keys(bad.body.error.fields)).toContain('sheet.votes.1')

    const before = desk.store.submissionsForTps(TPS_B1).length
    const res = await desk.call(
      'POST',
      `/conflicts/${id}/resolve`,
      {
        keep: 'corrected',
        reason: 'Dicek dengan foto C.Hasil',
        sheet: { votes: { '1': 122, '2': 90 }, invalid: 4 },
      },
      ADMIN_TOKEN,
    )
    expect(res.status).toBe(200)
    expect(res.body.result).toMatchObject({
      votes: { '1': 122, '2': 90 },
      invalid: 4,
      valid: 212,
      total: 216,
    })
    const subs = desk.store.submissionsForTps(TPS_B1)
    expect(subs.length).toBe(before + 1)
    expect(subs.at(-1)!.channel).toBe('tinjau')
    expect(subs.at(-1)!.actor).toBe('admin')
    const recap = await desk.call('GET', `/recap?contest=bupati&level=tps&parent=${DESA_B}`)
    expect(recap.body.rows.find((r: any) => r.code === TPS_B1)).toMatchObject({
      valid: 212,
      invalid: 4,
    })
  })

  it('soft-warning flags: listed for review, confirmed or corrected by a supervisor with a reason', async () => {
    // 350 voters at a TPS of DPT 300: turnout above 100%, stored but flagged.
    const res = await send(codes.reporterB!, TPS_B2, 'gubernur', gub(200, 100, 45, 5))
    expect(res.status).toBe(201)
    expect(res.body.warnings.map((w: any) => w.code)).toContain('turnout_over_dpt')
    const flags = (await desk.call('GET', '/console/flags', undefined, codes.operator1)).body.flags
    const flag = flags.find((f: any) => f.tps.code === TPS_B2 && f.contest === 'gubernur')
    expect(flag.warnings.map((w: any) => w.code)).toContain('turnout_over_dpt')
    expect(flag.tps.desaName).toBe('Keting')

    const path = `/results/${TPS_B2}/gubernur/review`
    expect((await desk.call('POST', path, { action: 'confirm' }, codes.supervisor)).status).toBe(
      400,
    )
    const ok = await desk.call(
      'POST',
      path,
      { action: 'confirm', reason: 'DPTb banyak (pekerja pabrik)' },
      codes.supervisor,
    )
    expect(ok.status).toBe(200)
    expect(ok.body.result.review).toBe('confirmed')
    expect(
      (await desk.call('GET', '/console/flags', undefined, codes.operator1)).body.flags.some(
        (f: any) => f.tps.code === TPS_B2,
      ),
    ).toBe(false)
    expect(
      (
        await desk.call(
          'POST',
          path,
          { action: 'confirm', reason: 'sekali lagi' },
          codes.supervisor,
        )
      ).status,
    ).toBe(409)

    const fix = await desk.call(
      'POST',
      path,
      { action: 'correct', reason: 'Angka paslon 1 salah baca', sheet: gub(150, 100, 45, 5) },
      codes.supervisor,
    )
    expect(fix.status).toBe(200)
    expect(fix.body.changed).toBe(true)
    expect(fix.body.result.total).toBe(300)
    const audit = (await desk.call('GET', '/audit')).body.entries.filter(
      (e: any) => e.action === 'review.result' && e.target === `${TPS_B2}/gubernur`,
    )
    expect(audit.map((e: any) => e.detail.action).sort()).toEqual(['confirm', 'correct'])
    const history = (await desk.call('GET', `/tps/${TPS_B2}/history`, undefined, codes.operator1))
      .body
    expect(history.entries.map((e: any) => e.action)).toEqual([
      'submission.accepted',
      'decision.confirm',
      'submission.accepted',
      'decision.correct',
    ])
    expect(history.entries[2].channel).toBe('tinjau')
  })

  it('the chase list: by reporter, most overdue first, a report moves them off, calls are shared', async () => {
    // Fresh desk so the counts are exact.
    const d = await startDesk()
    try {
      await d.call('POST', '/tps/import', tpsCsv([DESA_A, DESA_B, DESA_C], 1, 300))
      const mk = async (name: string, region: string) =>
        (await d.call('POST', '/users', { name, phone: '0812', role: 'reporter', region })).body
      const a = await mk('Ani', DESA_A)
      const b = await mk('Budi', DESA_B)
      const kec = await mk('Camat Jombang', '35.09.01')
      const op = (await d.call('POST', '/users', { name: 'Op', role: 'operator' })).body

      let chase = (await d.call('GET', '/console/chase', undefined, op.accessCode)).body
      // One row per desa to chase; the kecamatan officer is the second person to call for each of
      // its desa, never a row of its own at 0% for the whole kecamatan.
      expect(chase.rows.map((r: any) => r.reporter.name).sort()).toEqual(['Ani', 'Budi'])
      const rowA = chase.rows.find((r: any) => r.reporter.id === a.id)
      expect(rowA.contests).toEqual({
        gubernur: { expected: 1, reported: 0 },
        bupati: { expected: 1, reported: 0 },
      })
      expect(rowA.kecamatanName).toBe('Jombang')
      expect(rowA.reporter.regionName).toBe('Padomasan')
      expect(rowA.desaName).toBe('Padomasan')
      expect(rowA.alsoCall.map((o: any) => o.id)).toEqual([kec.id])
      expect(chase.unassigned.map((u: any) => u.code)).toEqual([DESA_C])

      // Budi reports one contest: he now has a last report and drops below the never-reported.
      const r1 = await d.call(
        'POST',
        '/results',
        { submissionId: sid(), tps: `${DESA_B}.001`, contest: 'gubernur', ...gub(100, 50, 50) },
        b.accessCode,
      )
      expect(r1.status).toBe(201)
      chase = (await d.call('GET', '/console/chase', undefined, op.accessCode)).body
      expect(chase.rows.at(-1).reporter.name).toBe('Budi')
      expect(chase.rows.at(-1).lastReportAt).not.toBeNull()
      await d.call(
        'POST',
        '/results',
        { submissionId: sid(), tps: `${DESA_B}.001`, contest: 'bupati', ...bup(100, 100) },
        b.accessCode,
      )
      chase = (await d.call('GET', '/console/chase', undefined, op.accessCode)).body
      expect(chase.rows.some((r: any) => r.reporter.id === b.id)).toBe(false)
      expect(chase.complete).toBe(1)

      const lastEvent = d.store.lastEventId()
      const call = await d.call(
        'POST',
        `/console/chase/${a.id}/calls`,
        { outcome: 'no_answer', note: 'Tidak diangkat, coba 15 menit lagi' },
        op.accessCode,
      )
      expect(call.status).toBe(201)
      expect(call.body.actor.name).toBe('Op')
      chase = (await d.call('GET', '/console/chase', undefined, op.accessCode)).body
      const again = chase.rows.find((r: any) => r.reporter.id === a.id)
      expect(again.lastCall).toMatchObject({
        outcome: 'no_answer',
        note: 'Tidak diangkat, coba 15 menit lagi',
      })
      expect(again.calls).toBe(1)
      const ev = d.store.eventsAfter(lastEvent).find((e) => e.type === 'chase.called')!
      // Events reach display screens too: no names, phones or notes in them.
      expect(JSON.stringify(ev.data)).not.toMatch(/Tidak diangkat|Ani|0812/)
      expect(
        (
          await d.call(
            'POST',
            `/console/chase/${a.id}/calls`,
            { outcome: 'other', note: 'x'.repeat(501) },
            op.accessCode,
          )
        ).status,
      ).toBe(400)
      // No outcome is assumed: a call saved without one would say "tersambung" when it was not.
      const noOutcome = await d.call(
        'POST',
        `/console/chase/${a.id}/calls`,
        { note: 'HP mati, hubungi kades' },
        op.accessCode,
      )
      expect(noOutcome.status).toBe(400)
      expect(noOutcome.body.error.fields.outcome).toMatch(/Hasil panggilan wajib dipilih/)
      expect(
        (
          await d.call(
            'POST',
            `/console/chase/${op.id}/calls`,
            { outcome: 'reached' },
            op.accessCode,
          )
        ).status,
      ).toBe(404)
      expect((await d.call('GET', '/console/chase', undefined, a.accessCode)).status).toBe(403)
      const summary = (await d.call('GET', '/console/summary', undefined, op.accessCode)).body
      expect(summary.reportersMissing).toBe(1) // Ani; the kecamatan officer is not a row of its own
      expect(summary.recent[0]).toMatchObject({
        tpsCode: `${DESA_B}.001`,
        contest: 'bupati',
        outcome: 'accepted',
        actor: { name: 'Budi' },
      })
    } finally {
      await d.stop()
    }
  })

  it('double entry: the second operator keys blind; a mismatch is flagged and not saved, a match is saved by phone', async () => {
    const draft = await desk.call(
      'POST',
      '/console/drafts',
      {
        tps: TPS_C1,
        contest: 'bupati',
        ...bup(140, 130, 6),
        voters: { dpt: 270, dptb: 6, dpk: 0 },
        caller: { name: 'Bu Sari', phone: '0813' },
      },
      codes.operator1,
    )
    expect(draft.status).toBe(201)
    const id = draft.body.draft.id
    const listed = (
      await desk.call('GET', '/console/drafts', undefined, codes.operator2)
    ).body.drafts.find((x: any) => x.id === id)
    expect(listed.caller.name).toBe('Bu Sari')
    expect(listed.firstActor.name).toBe('Operator Satu')
    expect(JSON.stringify(listed)).not.toMatch(/140|130/) // blind: the numbers are not shown

    const self = await desk.call(
      'POST',
      `/console/drafts/${id}/verify`,
      bup(140, 130, 6),
      codes.operator1,
    )
    expect(self.status).toBe(409)
    expect(self.body.error.code).toBe('same_operator')

    const wrong = await desk.call(
      'POST',
      `/console/drafts/${id}/verify`,
      { ...bup(140, 103, 6), voters: { dpt: 270, dptb: 6, dpk: 0 } },
      codes.operator2,
    )
    expect(wrong.status).toBe(409)
    expect(wrong.body.error.code).toBe('double_entry_mismatch')
    expect(Object.keys(wrong.body.error.fields)).toEqual(['votes.2'])
    expect(desk.store.getResult(TPS_C1, 'bupati')).toBeUndefined()
    const flagged = (
      await desk.call('GET', '/console/drafts', undefined, codes.operator2)
    ).body.drafts.find((x: any) => x.id === id)
    expect(flagged).toMatchObject({ status: 'mismatch', attempts: 1, mismatch: ['votes.2'] })

    const right = await desk.call(
      'POST',
      `/console/drafts/${id}/verify`,
      { ...bup(140, 130, 6), voters: { dpt: 270, dptb: 6, dpk: 0 } },
      codes.operator2,
    )
    expect(right.status).toBe(201)
    expect(right.body.status).toBe('accepted')
    expect(
      (await desk.call('GET', '/console/drafts', undefined, codes.operator2)).body.drafts.some(
        (x: any) => x.id === id,
      ),
    ).toBe(false)
    const sub = desk.store.submissionsForTps(TPS_C1).at(-1)!
    expect(sub.channel).toBe('telepon')
    expect(sub.actor).toBe(ids.operator2)
    expect(JSON.parse(sub.payload).caller).toEqual({ name: 'Bu Sari', phone: '0813' })

    const history = (await desk.call('GET', `/tps/${TPS_C1}/history`, undefined, codes.operator1))
      .body
    expect(history.entries.map((e: any) => e.action)).toEqual([
      'draft.created',
      'draft.mismatch',
      'submission.accepted',
      'draft.saved',
    ])
    expect(history.entries[0].actor.name).toBe('Operator Satu')
    expect(history.entries[2].caller.name).toBe('Bu Sari')
    expect(history.entries[3].actor.name).toBe('Operator Dua')

    const closed = await desk.call(
      'POST',
      `/console/drafts/${id}/verify`,
      bup(140, 130, 6),
      codes.operator2,
    )
    expect(closed.status).toBe(409)
    const other = (
      await desk.call(
        'POST',
        '/console/drafts',
        { tps: TPS_C1, contest: 'gubernur', ...gub(1, 2, 3), caller: { name: 'Y' } },
        codes.operator1,
      )
    ).body
    expect(
      (
        await desk.call(
          'POST',
          `/console/drafts/${other.draft.id}/cancel`,
          { reason: 'x' },
          codes.operator1,
        )
      ).status,
    ).toBe(400)
    expect(
      (
        await desk.call(
          'POST',
          `/console/drafts/${other.draft.id}/cancel`,
          { reason: 'salah TPS' },
          codes.operator2,
        )
      ).status,
    ).toBe(403)
    expect(
      (
        await desk.call(
          'POST',
          `/console/drafts/${other.draft.id}/cancel`,
          { reason: 'salah TPS' },
          codes.operator1,
        )
      ).status,
    ).toBe(200)
    const bad = await desk.call(
      'POST',
      '/console/drafts',
      { tps: TPS_C1, contest: 'gubernur', ...gub(1, 2, 3), caller: { name: '' } },
      codes.operator1,
    )
    expect(bad.status).toBe(400)
    expect(bad.body.error.fields['caller.name']).toMatch(/Nama penelepon/)
  })

  it('a phoned-in result keeps the operator, channel telepon and the caller on the record', async () => {
    const res = await send(
      codes.operator2!,
      TPS_C1,
      'gubernur',
      gub(90, 90, 90),
      { caller: { name: 'Pak Joko', phone: '0857' } },
      'telepon',
    )
    expect(res.status).toBe(201)
    const history = (await desk.call('GET', `/tps/${TPS_C1}/history`, undefined, codes.operator1))
      .body
    const entry = history.entries.find(
      (e: any) => e.contest === 'gubernur' && e.kind === 'submission',
    )
    expect(entry).toMatchObject({
      channel: 'telepon',
      actor: { name: 'Operator Dua', role: 'operator' },
      caller: { name: 'Pak Joko', phone: '0857' },
    })
    expect(
      (await desk.call('GET', '/tps/35.09.01.2001.999/history', undefined, codes.operator1)).status,
    ).toBe(404)
  })

  it('the LAN answer: addresses with QR codes, connections by role, discovery off on loopback', async () => {
    const res = await desk.call('GET', '/console/lan', undefined, codes.operator1)
    expect(res.status).toBe(200)
    expect(res.body.port).toBe(desk.port)
    expect(res.body.reachable).toBe(false) // the test desk listens on 127.0.0.1 only
    for (const a of res.body.addresses) {
      expect(a.laporUrl).toBe(`http://${a.address}:${desk.port}/lapor`)
      expect(a.laporQr).toMatch(/^data:image\/svg\+xml;base64,/)
      expect(Buffer.from(a.laporQr.split(',')[1], 'base64').toString()).toContain('<svg')
    }
    expect(res.body.discovery.enabled).toBe(false)
    expect(res.body.connected).toMatchObject({ boards: 0 })
    // Reporters are counted by what they sent (reporterA reported above), not by open streams.
    expect(res.body.connected.phones).toBeUndefined()
    expect(res.body.activeReporters).toBeGreaterThanOrEqual(1)
    expect((await desk.call('GET', '/console/lan', undefined, codes.reporterA)).status).toBe(403)
  })
})

describe('sheetDifferences (side-by-side review)', () => {
  it('names every voter line when only one side read the voter numbers', () => {
    const withVoters = {
      votes: { '1': 100, '2': 70 },
      invalid: 5,
      voters: { dpt: 175, dptb: 0, dpk: 0 },
    }
    const without = { votes: { '1': 100, '2': 70 }, invalid: 5 }
    expect(sheetDifferences(withVoters, without)).toEqual([
      'voters',
      'voters.dpt',
      'voters.dptb',
      'voters.dpk',
    ])
    expect(
      sheetDifferences(without, { ...withVoters, voters: { ...withVoters.voters, total: 175 } }),
    ).toEqual(['voters', 'voters.dpt', 'voters.dptb', 'voters.dpk', 'voters.total'])
    expect(
      sheetDifferences(withVoters, { ...withVoters, voters: { dpt: 175, dptb: 1, dpk: 0 } }),
    ).toEqual(['voters.dptb'])
    expect(sheetDifferences(without, without)).toEqual([])
  })
})

describe('migration 0070 (console)', () => {
  it('adds chase calls and decisions (append-only) and drafts, keeping earlier data', () => {
    const db = new Database(':memory:')
    migrate(db, MIGRATIONS, 30)
    db.prepare(
      "INSERT INTO users (id, name, role, region, code_id, code_hash, created_at) VALUES ('u1', 'A', 'reporter', '35.09.01.2001', 'ABCD', 'h', 't')",
    ).run()
    expect(migrate(db, MIGRATIONS, 70)).toBe(70)
    expect(db.prepare('SELECT name FROM users').get()).toEqual({ name: 'A' })
    db.prepare(
      "INSERT INTO chase_calls (reporter, actor, at, outcome, note) VALUES ('u1', 'op', 't', 'reached', '')",
    ).run()
    expect(() =>
      db
        .prepare(
          "INSERT INTO chase_calls (reporter, actor, at, outcome) VALUES ('u1', 'op', 't', 'maybe')",
        )
        .run(),
    ).toThrow(/CHECK/)
    expect(() => db.prepare("UPDATE chase_calls SET note = 'x'").run()).toThrow(/append-only/)
    expect(() => db.prepare('DELETE FROM chase_calls').run()).toThrow(/append-only/)
    db.prepare(
      "INSERT INTO review_decisions (at, actor, tps, contest, kind, action, reason) VALUES ('t', 's', 'x', 'c', 'flag', 'confirm', 'alasan')",
    ).run()
    expect(() => db.prepare("UPDATE review_decisions SET reason = 'lain'").run()).toThrow(
      /append-only/,
    )
    expect(() => db.prepare('DELETE FROM review_decisions').run()).toThrow(/append-only/)
    db.prepare(
      "INSERT INTO entry_drafts (tps, contest, first_actor, payload, created_at) VALUES ('x', 'c', 'op', '{}', 't')",
    ).run()
    expect(db.prepare('SELECT status, attempts FROM entry_drafts').get()).toEqual({
      status: 'waiting',
      attempts: 0,
    })
    expect(() => db.prepare("UPDATE entry_drafts SET status = 'gone'").run()).toThrow(/CHECK/)
  })
})
