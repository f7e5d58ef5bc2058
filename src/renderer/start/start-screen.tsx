import { useEffect, useState } from 'react'
import {
  SETTINGS,
  SETTING_GROUPS,
  type DeskSettingKey,
  type SettingSpec,
} from '../../shared/settings'
import type { AdvertisedDesk, StartState } from '../../shared/shell'

type Errors = Partial<Record<DeskSettingKey | 'form', string>>
type Form = Record<DeskSettingKey, string | boolean>

const KEYS = Object.keys(SETTINGS) as DeskSettingKey[]
const LAN = '0.0.0.0'
const LOCAL = '127.0.0.1'

function toForm(settings: StartState['settings']): Form {
  const form = {} as Form
  for (const key of KEYS) {
    const v = settings[key]
    form[key] =
      SETTINGS[key].type === 'boolean'
        ? v === true
        : Array.isArray(v)
          ? v.join(', ')
          : v === undefined
            ? ''
            : String(v)
  }
  return form
}

/** What the form holds, as the settings schema takes it: empty fields are not set. */
function fromForm(form: Form): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const key of KEYS) {
    const v = form[key]
    if (SETTINGS[key].type === 'boolean') {
      if (v === true) out[key] = true
    } else if (typeof v === 'string' && v.trim() !== '') out[key] = v.trim()
  }
  return out
}

/**
 * The desktop app's first screen: start this laptop's desk (with its settings), or open a desk
 * another laptop runs on the LAN, as a workstation or as its wall board.
 */
export function StartScreen() {
  const bridge = window.deskStart
  const [state, setState] = useState<StartState | null>(null)
  const [desks, setDesks] = useState<AdvertisedDesk[]>([])
  const [editing, setEditing] = useState(false)
  const [form, setForm] = useState<Form | null>(null)
  /** What is saved (the summary shows this, not what is being typed). */
  const [saved, setSaved] = useState<Form | null>(null)
  const [autoStart, setAutoStart] = useState(false)
  const [errors, setErrors] = useState<Errors>({})
  const [notice, setNotice] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const [manual, setManual] = useState('')

  useEffect(() => {
    if (!bridge) return
    void bridge.state().then((s) => {
      setState(s)
      setDesks(s.desks)
      setForm(toForm(s.settings))
      setSaved(toForm(s.settings))
      setAutoStart(s.autoStart)
      setErrors(s.errors)
      if (s.running || Object.keys(s.errors).length > 0) setEditing(true)
    })
    return bridge.onDesks(setDesks)
  }, [bridge])

  if (!bridge)
    return (
      <main className="start">
        <p className="error">Halaman ini hanya berjalan di aplikasi desktop Desk Pilkada.</p>
      </main>
    )
  if (!state || !form || !saved)
    return (
      <main className="start">
        <p>Memuat…</p>
      </main>
    )

  const broken = Object.keys(errors).length > 0
  const settingsNow = fromForm(form)

  const startOwn = async () => {
    setBusy(true)
    setNotice(null)
    const answer = await bridge.startOwn()
    setBusy(false)
    if (!answer.ok) setNotice(answer.message)
  }

  const save = async () => {
    setBusy(true)
    const answer = await bridge.save({ settings: settingsNow, autoStart })
    setBusy(false)
    if (!answer.ok) {
      setErrors(answer.errors)
      setNotice('Pengaturan belum disimpan: perbaiki isian yang ditandai merah.')
      return
    }
    setErrors({})
    setSaved(form)
    setNotice(
      answer.restartNeeded
        ? 'Tersimpan. Berlaku setelah desk dihentikan dan dimulai lagi.'
        : 'Tersimpan.',
    )
    setEditing(false)
  }

  const open = async (url: string, mode: 'workstation' | 'board') => {
    const answer = await bridge.openDesk(url, mode)
    if (!answer.ok) setNotice(answer.message)
  }

  const set = (key: DeskSettingKey, value: string | boolean) => setForm({ ...form, [key]: value })

  const field = (key: DeskSettingKey, spec: SettingSpec) => {
    const id = `setting-${key}`
    const error = errors[key]
    if (key === 'host') {
      const value = String(form.host || LAN)
      return (
        <fieldset key={key} className="field" aria-invalid={!!error}>
          <legend>Siapa yang bisa membuka desk</legend>
          <label>
            <input
              type="radio"
              name="host"
              checked={value === LAN || value === ''}
              onChange={() => set('host', LAN)}
            />{' '}
            Seluruh jaringan (HP pelapor, laptop lain, papan)
          </label>
          <label>
            <input
              type="radio"
              name="host"
              checked={value === LOCAL}
              onChange={() => set('host', LOCAL)}
            />{' '}
            Laptop ini saja
          </label>
          {value !== LAN && value !== LOCAL && value !== '' && (
            <span className="hint">Alamat khusus: {value}</span>
          )}
          {error && <span className="field-error">{error}</span>}
        </fieldset>
      )
    }
    if (spec.type === 'boolean') {
      return (
        <label key={key} className="field check">
          <input
            id={id}
            type="checkbox"
            checked={form[key] === true}
            onChange={(e) => set(key, e.target.checked)}
          />{' '}
          {spec.label}
          <span className="hint">{spec.help}</span>
          {error && <span className="field-error">{error}</span>}
        </label>
      )
    }
    return (
      <div key={key} className="field">
        <label htmlFor={id}>{spec.label}</label>
        <div className="row">
          <input
            id={id}
            type={spec.secret ? 'password' : 'text'}
            value={String(form[key])}
            aria-invalid={!!error}
            autoComplete="off"
            spellCheck={false}
            onChange={(e) => set(key, e.target.value)}
          />
          {spec.pick && (
            <button
              type="button"
              className="secondary"
              // A failed pick (the dialog could not open) stays unreported, as before.
              onClick={() =>
                void bridge.pick(spec.pick!).then((picked) => picked && set(key, picked))
              }
            >
              {spec.pick === 'folder' ? 'Pilih folder…' : 'Pilih berkas…'}
            </button>
          )}
        </div>
        <span className="hint">{spec.help}</span>
        {error && <span className="field-error">{error}</span>}
      </div>
    )
  }

  const summary = [
    `Folder data: ${saved.dataDir || 'folder data aplikasi (bawaan)'}`,
    `Port ${saved.port || '4046'} · ${saved.host === LOCAL ? 'laptop ini saja' : 'seluruh jaringan'}`,
    saved.tlsCert ? 'HTTPS dengan sertifikat sendiri' : 'HTTP (tanpa sertifikat)',
    saved.publicUrl ? `Alamat dari lapangan: ${String(saved.publicUrl)}` : null,
    saved.backupDir
      ? `Cadangan ke ${String(saved.backupDir)} tiap ${saved.backupInterval || '60'} detik`
      : 'Cadangan otomatis: belum diatur',
    saved.smsGammuInbox || saved.smsAndroidUrl
      ? `SMS: ${[saved.smsGammuInbox ? 'Gammu' : null, saved.smsAndroidUrl ? 'HP Android' : null].filter(Boolean).join(' dan ')}`
      : 'SMS: tidak aktif',
    saved.training ? 'MODE LATIHAN' : null,
  ].filter(Boolean)

  return (
    <main className="start">
      <header>
        <h1>Desk Pilkada</h1>
        <span className="version">versi {state.version}</span>
      </header>
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      {errors.form && <p className="error">{errors.form}</p>}
      <div className="columns">
        <section className="card own" aria-labelledby="own-title">
          <h2 id="own-title">Desk di laptop ini</h2>
          {state.running ? (
            <p className="ok">
              Desk laptop ini sedang berjalan. Perubahan pengaturan berlaku setelah desk dihentikan
              dan dimulai lagi.
            </p>
          ) : (
            <ul className="summary">
              {summary.map((line) => (
                <li key={line}>{line}</li>
              ))}
            </ul>
          )}
          <div className="actions">
            {state.running ? (
              <button type="button" className="primary" onClick={() => void startOwn()}>
                Buka konsol
              </button>
            ) : (
              <button
                type="button"
                className="primary"
                disabled={busy || broken || editing}
                onClick={() => void startOwn()}
              >
                Mulai desk
              </button>
            )}
            <button
              type="button"
              className="secondary"
              onClick={() => setEditing(!editing)}
              aria-expanded={editing}
            >
              {editing ? 'Tutup pengaturan' : 'Pengaturan…'}
            </button>
          </div>
          {broken && !editing && (
            <p className="error">
              Pengaturan bermasalah: buka Pengaturan dan perbaiki isian yang ditandai.
            </p>
          )}
        </section>

        <section className="card others" aria-labelledby="others-title">
          <h2 id="others-title">Desk lain di jaringan</h2>
          {desks.length === 0 ? (
            <p className="hint" data-testid="no-desks">
              Belum terlihat desk lain di jaringan ini. Pastikan laptop tersambung ke jaringan yang
              sama dengan desk utama, atau tulis alamatnya di bawah.
            </p>
          ) : (
            <ul className="desks" data-testid="desks">
              {desks.map((d) => (
                <li key={d.id} data-desk={d.id}>
                  <div className="desk-name">
                    <strong>{d.name}</strong> {d.training && <span className="badge">LATIHAN</span>}
                  </div>
                  <div className="hint">
                    {d.url} · wilayah {d.regency}
                    {d.version ? ` · versi ${d.version}` : ''}
                  </div>
                  {d.version && d.version !== state.version && (
                    <div className="warn" data-testid="version-warning">
                      Versi desk itu ({d.version}) berbeda dari aplikasi ini ({state.version}):
                      sebaiknya sama di semua laptop.
                    </div>
                  )}
                  <div className="actions">
                    <button type="button" onClick={() => void open(d.url, 'workstation')}>
                      Buka sebagai workstation
                    </button>
                    <button
                      type="button"
                      className="secondary"
                      onClick={() => void open(d.url, 'board')}
                    >
                      Buka papan
                    </button>
                  </div>
                </li>
              ))}
            </ul>
          )}
          <div className="field">
            <label htmlFor="manual-url">Alamat desk</label>
            <div className="row">
              <input
                id="manual-url"
                placeholder="http://192.168.1.10:4046"
                value={manual}
                onChange={(e) => setManual(e.target.value)}
                spellCheck={false}
              />
              <button
                type="button"
                className="secondary"
                disabled={!manual.trim()}
                onClick={() => void open(manual.trim(), 'workstation')}
              >
                Workstation
              </button>
              <button
                type="button"
                className="secondary"
                disabled={!manual.trim()}
                onClick={() => void open(manual.trim(), 'board')}
              >
                Papan
              </button>
            </div>
            <span className="hint">
              Workstation: masuk dengan kode akses operator atau supervisor dari desk itu.
            </span>
          </div>
        </section>
      </div>

      {editing && (
        <form
          className="card settings"
          onSubmit={(e) => {
            e.preventDefault()
            void save()
          }}
        >
          <h2>Pengaturan desk laptop ini</h2>
          <p className="hint">Sama dengan pilihan npm run serve. Disimpan di {state.file}.</p>
          {(Object.keys(SETTING_GROUPS) as SettingSpec['group'][]).map((group) => (
            <fieldset key={group} className="group">
              <legend>{SETTING_GROUPS[group]}</legend>
              {KEYS.filter((k) => SETTINGS[k].group === group).map((k) => field(k, SETTINGS[k]))}
            </fieldset>
          ))}
          <label className="field check">
            <input
              type="checkbox"
              checked={autoStart}
              onChange={(e) => setAutoStart(e.target.checked)}
            />{' '}
            Langsung mulai desk saat aplikasi dibuka
          </label>
          <div className="actions">
            <button type="submit" className="primary" disabled={busy}>
              Simpan pengaturan
            </button>
          </div>
        </form>
      )}
    </main>
  )
}
