import { useEffect, useMemo, useState } from 'react'
import { formatCount } from '../../../shared/format'
import {
  contestName,
  contestOf,
  contestStatus,
  contestStep,
  desaName,
  tpsLabel,
  useLapor,
} from '../context'
import { clearDraft, loadDraft, saveDraft, type Draft } from '../drafts'
import { deskNumbers, sheetChanges } from '../correction'
import {
  candidateLabel,
  fieldLabel,
  followsText,
  issueText,
  newSubmissionId,
  sheetFromBody,
  submissionBody,
  type Candidate,
} from '../../../shared/lapor-sheet'
import { checkSheet, emptySheetText, type SheetText } from '../../../shared/sheet-check'

function NumberField({
  id,
  label,
  sub,
  pair,
  value,
  error,
  follows,
  total,
  was,
  onChange,
}: {
  id: string
  label: string
  sub?: string
  /** The pair's ballot number, shown as on the ballot. */
  pair?: number
  value: string
  error?: string | undefined
  /** Shown (not as an error) when this line disagrees only because an earlier line is broken. */
  follows?: string | undefined
  total?: boolean
  /** A correction: the number it started from, shown when this box differs from it. */
  was?: string | undefined
  onChange: (v: string) => void
}) {
  return (
    <div
      className={`num-field${total ? ' total' : ''}${error ? ' has-error' : follows ? ' follows' : ''}`}
    >
      <label htmlFor={id}>
        {pair !== undefined ? (
          <span className="pair">
            <b>{pair === 0 ? '–' : pair}</b>
            <span>{label}</span>
          </span>
        ) : (
          <span>{label}</span>
        )}
        {sub && <small>{sub}</small>}
        {was !== undefined && (
          <span className="was" data-testid="was">
            Semula {was === '' ? 'kosong' : formatCount(Number(was))}
          </span>
        )}
      </label>
      <input
        id={id}
        name={id}
        inputMode="numeric"
        pattern="[0-9]*"
        autoComplete="off"
        enterKeyHint="next"
        value={value}
        aria-invalid={!!error}
        aria-describedby={error ? `${id}-error` : follows ? `${id}-follows` : undefined}
        onChange={(e) => onChange(e.target.value.replace(/\s/g, ''))}
      />
      {error ? (
        <p className="field-error" id={`${id}-error`} role="alert">
          {error}
        </p>
      ) : (
        follows && (
          <p className="field-follows" id={`${id}-follows`}>
            {follows}
          </p>
        )
      )}
    </div>
  )
}

function useSheetContext(tps: string, contest: string) {
  const lapor = useLapor()
  const t = lapor.list?.tps.find((x) => x.code === tps)
  const c = contestOf(lapor.config, contest)
  return { lapor, t, c }
}

/** The C.Hasil sheet, in the order of the paper form, checked while typing. */
export function SheetForm({
  tps,
  contest,
  correction,
}: {
  tps: string
  contest: string
  correction: boolean
}) {
  const { lapor, t, c } = useSheetContext(tps, contest)
  const owner = lapor.me.id
  const candidates: Candidate[] = useMemo(() => c?.candidates ?? [], [c])
  const [draft, setDraft] = useState<Draft>(() => {
    const saved = loadDraft(owner, tps, contest, correction)
    if (saved) return saved
    // A correction starts from what this phone sent before while the desk's numbers are on their way.
    const before = correction
      ? lapor.box.sent.find(
          (s) => s.kind === 'result' && s.tps === tps && s.contest === contest && s.body,
        )
      : undefined
    const input = before?.body ? sheetFromBody(before.body, candidates) : emptySheetText(candidates)
    return {
      input,
      reason: '',
      confirmed: false,
      ...(correction && before?.body
        ? {
            base: {
              input,
              from: 'phone' as const,
              ...(before.receipt ? { receipt: before.receipt } : {}),
            },
          }
        : {}),
    }
  })
  useEffect(
    () => saveDraft(owner, tps, contest, correction, draft),
    [owner, tps, contest, correction, draft],
  )
  // A correction starts from the numbers the desk holds (they may differ from what this phone sent:
  // a supervisor's decision, an operator's entry). Taken only while the reporter has changed nothing.
  const [deskState, setDeskState] = useState<'loading' | 'ok' | 'unreachable' | null>(
    correction && draft.base?.from !== 'desk' ? 'loading' : null,
  )
  useEffect(() => {
    if (!correction || deskState !== 'loading') return
    let live = true
    deskNumbers(tps, contest, candidates).then(
      (base) => {
        if (!live) return
        setDeskState(base ? 'ok' : 'unreachable')
        if (!base) return
        setDraft((d) => {
          const untouched = !d.base
            ? sheetChanges(emptySheetText(candidates), d.input, candidates).length === 0
            : sheetChanges(d.base.input, d.input, candidates).length === 0
          return untouched ? { ...d, input: base.input, base, confirmed: false } : { ...d, base }
        })
      },
      () => live && setDeskState('unreachable'),
    )
    return () => {
      live = false
    }
  }, [correction, deskState, tps, contest, candidates])

  if (!t || !c) return <p>TPS atau pemilihan tidak dikenal.</p>
  const status = contestStatus(lapor, t, contest)
  const step = contestStep(lapor, t, contest)
  if (step.waiting || (!correction && !step.first)) {
    return (
      <section>
        <p className="note">
          Hasil {contestName(lapor.config, contest)} {tpsLabel(tps)} sudah{' '}
          {status.status === 'terkirim' ? 'disimpan dan menunggu dikirim' : 'dikirim'}.
        </p>
        <button type="button" className="primary" onClick={() => lapor.backTo('tps')}>
          Kembali ke {tpsLabel(tps)}
        </button>
      </section>
    )
  }

  // The reporter has the paper form in hand: every box of it is asked for.
  const check = checkSheet(draft.input, { candidates, dpt: t.dpt }, 'paper')
  const errorOf = (field: string) => {
    const e = check.errors.find((x) => x.field === field)
    return e && issueText(e, candidates)
  }
  const followsOf = (field: string) => {
    const f = check.follows.find((x) => x.field === field)
    return f && followsText(f, candidates)
  }
  const set = (patch: Partial<SheetText>) =>
    setDraft((d) => ({ ...d, input: { ...d.input, ...patch }, confirmed: false }))
  const setVote = (n: number, v: string) =>
    setDraft((d) => ({
      ...d,
      input: { ...d.input, votes: { ...d.input.votes, [String(n)]: v } },
      confirmed: false,
    }))
  const reasonOk = !correction || draft.reason.trim().length >= 5
  const base = correction ? draft.base : undefined
  const changes = base ? sheetChanges(base.input, draft.input, candidates) : []
  const changed = !base || changes.length > 0
  const ready =
    check.sheet !== null && reasonOk && changed && (check.warnings.length === 0 || draft.confirmed)
  const i = draft.input
  const wasOf = (field: string) => changes.find((x) => x.field === field)?.was
  /** What every box of the sheet shows and does: its text, the desk's number it replaces, its error. */
  const bind = (key: Exclude<keyof SheetText, 'votes'>, field: string) => ({
    value: i[key],
    was: wasOf(field),
    error: errorOf(field),
    onChange: (v: string) => set({ [key]: v }),
  })

  return (
    <section className="sheet">
      <button type="button" className="plain back" onClick={lapor.back}>
        ‹ {tpsLabel(tps)}
      </button>
      <h1>
        {correction ? 'Koreksi ' : ''}
        {contestName(lapor.config, contest)}{' '}
        <small>
          {tpsLabel(tps)} · {desaName(lapor.list, t.desa)}
        </small>
      </h1>
      <p className="meta">
        Salin angka dari formulir C.Hasil, urut seperti di kertas. DPT TPS ini {formatCount(t.dpt)}.
      </p>
      {correction && (
        <div className="card correction">
          <label htmlFor="reason">Alasan koreksi (wajib)</label>
          <textarea
            id="reason"
            rows={3}
            value={draft.reason}
            placeholder="Mis.: suara paslon 2 salah tulis, seharusnya 128"
            onChange={(e) => setDraft((d) => ({ ...d, reason: e.target.value }))}
          />
          <p className="hint">
            Koreksi tidak langsung mengganti hasil: supervisor desk memeriksanya dulu.
          </p>
          <p className="from-desk" data-testid="correction-base" data-from={base?.from ?? 'none'}>
            {deskState === 'loading'
              ? 'Mengambil angka yang tercatat di desk…'
              : base?.from === 'desk'
                ? `Angka di bawah adalah yang tercatat di desk${base.receipt ? ` (tanda terima ${base.receipt})` : ''}. Ubah hanya yang salah.`
                : base
                  ? 'Desk belum terjangkau: angka di bawah dari laporan yang dikirim HP ini. Ubah hanya yang salah.'
                  : 'Desk belum terjangkau dan HP ini tidak menyimpan laporan sebelumnya: isi semua angka dari formulir C.Hasil.'}
          </p>
        </div>
      )}
      <fieldset className="card">
        <legend>I. Pengguna hak pilih</legend>
        <NumberField
          id="dpt"
          label="Pemilih DPT"
          sub="yang menggunakan hak pilih"
          {...bind('dpt', 'voters.dpt')}
        />
        <NumberField
          id="dptb"
          label="Pemilih DPTb"
          sub="pindahan"
          {...bind('dptb', 'voters.dptb')}
        />
        <NumberField
          id="dpk"
          label="Pemilih DPK"
          sub="tambahan (KTP-el)"
          {...bind('dpk', 'voters.dpk')}
        />
        <NumberField
          id="votersTotal"
          label="Jumlah pengguna hak pilih"
          sub="DPT + DPTb + DPK"
          total
          {...bind('votersTotal', 'voters.total')}
        />
      </fieldset>
      <fieldset className="card">
        <legend>II. Perolehan suara</legend>
        {candidates.map((cand) => (
          <NumberField
            key={cand.number}
            id={`votes-${cand.number}`}
            label={cand.name}
            pair={cand.number}
            {...(cand.number === 0 ? { sub: candidateLabel(cand) } : {})}
            value={i.votes[String(cand.number)] ?? ''}
            was={wasOf(`votes.${cand.number}`)}
            error={errorOf(`votes.${cand.number}`)}
            onChange={(v) => setVote(cand.number, v)}
          />
        ))}
        <NumberField
          id="valid"
          label="Jumlah suara sah"
          sub="semua paslon"
          total
          {...bind('valid', 'valid')}
        />
        <NumberField id="invalid" label="Suara tidak sah" {...bind('invalid', 'invalid')} />
        <NumberField
          id="total"
          label="Jumlah suara sah + tidak sah"
          total
          {...bind('total', 'total')}
          follows={followsOf('total')}
        />
      </fieldset>
      {check.sheet && check.warnings.length > 0 && (
        <div className="card warnings" role="status">
          <p>
            <strong>Periksa lagi:</strong>
          </p>
          <ul>
            {check.warnings.map((w) => (
              <li key={w.code}>{issueText(w, candidates)}</li>
            ))}
          </ul>
          <label className="check">
            <input
              type="checkbox"
              checked={draft.confirmed}
              onChange={(e) => setDraft((d) => ({ ...d, confirmed: e.target.checked }))}
            />
            <span>Angka sudah sama persis dengan formulir C.Hasil</span>
          </label>
        </div>
      )}
      <div className="summary" aria-live="polite">
        {check.errors.length > 0 && (
          <p className="error" data-testid="sheet-errors">
            {check.errors.length} kesalahan hitungan — perbaiki dulu sebelum dikirim.
          </p>
        )}
        {check.errors.length === 0 && check.missing.length > 0 && (
          <p className="hint">
            Belum diisi: {check.missing.map((f) => fieldLabel(f, candidates)).join(', ')}.
          </p>
        )}
        {!reasonOk && check.sheet && (
          <p className="hint">Tulis alasan koreksi (minimal 5 huruf).</p>
        )}
        {!changed && check.sheet && (
          <p className="hint">
            Belum ada angka yang diubah dari yang tercatat. Ubah angka yang salah.
          </p>
        )}
      </div>
      <button
        type="button"
        className="primary"
        disabled={!ready}
        onClick={() => lapor.navigate({ name: 'review', tps, contest, correction })}
      >
        Periksa sebelum kirim
      </button>
    </section>
  )
}

/** Read-back: the numbers large, one last look against the paper, then send. */
export function Review({
  tps,
  contest,
  correction,
}: {
  tps: string
  contest: string
  correction: boolean
}) {
  const { lapor, t, c } = useSheetContext(tps, contest)
  const [sending, setSending] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const draft = loadDraft(lapor.me.id, tps, contest, correction)
  if (!t || !c || !draft) return <p>Tidak ada yang diperiksa.</p>
  const check = checkSheet(draft.input, { candidates: c.candidates, dpt: t.dpt }, 'paper')
  const v = check.sheet
  if (!v) {
    return (
      <section>
        <p className="error">Isian belum lengkap atau belum benar.</p>
        <button type="button" className="primary" onClick={lapor.back}>
          Kembali ke isian
        </button>
      </section>
    )
  }

  async function send() {
    if (!v || sending) return
    setSending(true)
    setError(null)
    const id = newSubmissionId()
    try {
      await lapor.outbox.add({
        id,
        kind: 'result',
        label: `${correction ? 'Koreksi ' : ''}${contestName(lapor.config, contest)} · ${tpsLabel(tps)} ${desaName(lapor.list, t!.desa)}`,
        tps,
        contest,
        ...(correction ? { correction: true } : {}),
        body: submissionBody(id, tps, contest, v, correction ? draft!.reason.trim() : undefined),
      })
    } catch (e) {
      // Not in the outbox: keep the draft and say so, rather than pretend it will be sent.
      setError(
        `HP tidak bisa menyimpan laporan (${e instanceof Error ? e.message : String(e)}). Kosongkan ruang penyimpanan lalu coba lagi.`,
      )
      setSending(false)
      return
    }
    clearDraft(lapor.me.id, tps, contest, correction)
    lapor.navigate({ name: 'receipt', id, tps }, true)
  }

  const rows: [string, number, boolean?][] = [
    ...(v.voters
      ? ([
          ['Pengguna hak pilih DPT', v.voters.dpt],
          ['DPTb', v.voters.dptb],
          ['DPK', v.voters.dpk],
          ['Jumlah pengguna hak pilih', check.votersSum!, true],
        ] as [string, number, boolean?][])
      : []),
    ...c.candidates.map((cand): [string, number] => [
      `${cand.number === 0 ? 'Kolom kosong' : `Paslon ${cand.number}`} — ${cand.name}`,
      v.votes[String(cand.number)]!,
    ]),
    ['Jumlah suara sah', check.valid, true],
    ['Suara tidak sah', v.invalid],
    ['Suara sah + tidak sah', check.total, true],
  ]
  return (
    <section className="review">
      <button type="button" className="plain back" onClick={lapor.back}>
        ‹ Ubah isian
      </button>
      <h1>
        Periksa sekali lagi{' '}
        <small>
          {correction ? 'Koreksi ' : ''}
          {contestName(lapor.config, contest)} · {tpsLabel(tps)} · {desaName(lapor.list, t.desa)}
        </small>
      </h1>
      <p className="meta">Cocokkan setiap angka dengan formulir C.Hasil di tangan Anda.</p>
      {correction && draft.base && (
        <ChangesTable base={draft.base} input={draft.input} candidates={c.candidates} />
      )}
      <dl className="readback">
        {rows.map(([label, n, strong]) => (
          <div key={label} className={strong ? 'strong' : ''}>
            <dt>{label}</dt>
            <dd>{formatCount(n)}</dd>
          </div>
        ))}
      </dl>
      {correction && (
        <p className="card correction">
          <strong>Alasan koreksi:</strong> {draft.reason}
        </p>
      )}
      {check.warnings.length > 0 && (
        <ul className="card warnings">
          {check.warnings.map((w) => (
            <li key={w.code}>{issueText(w, c.candidates)}</li>
          ))}
        </ul>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <button type="button" className="primary big" disabled={sending} onClick={() => void send()}>
        {correction ? 'Kirim koreksi' : 'Kirim ke desk'}
      </button>
      <button type="button" className="secondary" onClick={lapor.back}>
        Ubah
      </button>
    </section>
  )
}

/** What a correction changes: each box that differs, the number it started from and the new one. */
function ChangesTable({
  base,
  input,
  candidates,
}: {
  base: NonNullable<Draft['base']>
  input: SheetText
  candidates: Candidate[]
}) {
  const changes = sheetChanges(base.input, input, candidates)
  const show = (v: string) => (v === '' ? '–' : formatCount(Number(v)))
  return (
    <div className="card changes" data-testid="changes">
      <p>
        <strong>Yang berubah ({formatCount(changes.length)})</strong>
        <br />
        <span className="meta">
          {base.from === 'desk'
            ? 'dibanding angka yang tercatat di desk'
            : 'dibanding laporan yang dikirim HP ini'}
        </span>
      </p>
      <table>
        <thead>
          <tr>
            <th>Isian</th>
            <th>Semula</th>
            <th>Menjadi</th>
          </tr>
        </thead>
        <tbody>
          {changes.map((x) => (
            <tr key={x.field} data-field={x.field}>
              <td>{x.label}</td>
              <td>{show(x.was)}</td>
              <td className="new">{show(x.now)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
