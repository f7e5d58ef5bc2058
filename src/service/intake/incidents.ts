// Incident reports: made once per submission id, listed by who may see what, a photo linked later.

import type { IncidentDto } from '../../shared/api'
import { INCIDENT_CATEGORY_LABELS, type IncidentCreate } from '../../shared/schemas'
import type { IncidentRow, IntakeStore } from '../../store/intake-store'
import { canonicalJson, sha256 } from '../../store/store'
import { DeskError, forbidden, notFound } from '../errors'
import { atLeast, type Principal } from '../principal'
import type { IntakeCore } from './core'

export class IntakeIncidents {
  private readonly intake: IntakeStore

  constructor(private readonly core: IntakeCore) {
    this.intake = core.intake
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

  private incidentDto(r: IncidentRow, view: 'full' | 'own' | 'public'): IncidentDto {
    const dto: IncidentDto = {
      id: r.id,
      at: r.at,
      region: r.region,
      regionName: this.regions.get(r.region)?.name ?? r.region,
      tps: r.tps,
      category: r.category,
      urgency: r.urgency,
      text: r.text,
      status: r.status,
      simulated: r.simulated === 1,
      hasPhoto: r.photo !== null,
    }
    if (view === 'full') {
      const user = r.reporter === 'admin' ? undefined : this.store.userById(r.reporter)
      dto.reporter = {
        id: r.reporter,
        name: r.reporter === 'admin' ? 'Admin' : (user?.name ?? r.reporter),
        phone: user?.phone ?? '',
      }
      dto.photo = r.photo
    }
    return dto
  }

  /**
   * A photo an incident may point at: one stored on the desk, and for a reporter one they sent
   * themselves (a reporter cannot claim someone else's picture). Staff may link any stored photo.
   */
  private assertPhotoUsable(p: Principal, file: string): void {
    const stored = atLeast(p, 'operator')
      ? !!this.intake.photoByFile(file)
      : !!this.intake.actorHasFile(file, p.id)
    if (!stored) {
      throw new DeskError(
        400,
        'invalid',
        'Foto itu belum diunggah. Kirim fotonya dulu lewat POST /photos.',
        { photo: 'Foto tidak ditemukan' },
      )
    }
  }

  async createIncident(
    p: Principal,
    body: IncidentCreate,
    options: { simulated?: boolean } = {},
  ): Promise<{ httpStatus: 200 | 201; id: number }> {
    if (p.role === 'display')
      throw forbidden('Akun tampilan (display) tidak bisa melaporkan kejadian')
    const place = this.core.placeFor(p, {
      ...(body.tps ? { tps: body.tps } : {}),
      ...(body.region ? { region: body.region } : {}),
    })
    if (body.photo) this.assertPhotoUsable(p, body.photo)
    const hash = sha256(canonicalJson(body))
    const simulated = this.core.simulatedFor(p, !!options.simulated)
    return this.desk.write(() => {
      if (body.submissionId) {
        const previous = this.intake.incidentSubmission(p.id, body.submissionId)
        if (previous) {
          if (previous.hash !== hash) {
            throw new DeskError(
              409,
              'submission_id_reused',
              'submissionId ini sudah dipakai untuk laporan lain. Kirim dengan submissionId baru.',
              {
                submissionId: 'Sudah dipakai dengan isi berbeda',
              },
            )
          }
          return { httpStatus: 200 as const, id: previous.incident }
        }
      }
      const at = this.store.nowIso()
      const id = this.intake.insertIncident({
        at,
        reporter: p.id,
        region: place.region,
        tps: place.tps,
        category: body.category,
        urgency: body.urgency,
        text: body.text,
        photo: body.photo ?? null,
        simulated: simulated ? 1 : 0,
      })
      if (body.submissionId) this.intake.insertIncidentSubmission(p.id, body.submissionId, id, hash)
      this.store.audit(p.id, 'incident.create', place.tps ?? place.region, {
        id,
        category: body.category,
        urgency: body.urgency,
      })
      // No names or phone numbers in the event: every signed-in screen (boards too) receives it.
      this.store.appendEvent('incident.created', {
        id,
        at,
        region: place.region,
        regionName: this.regions.get(place.region)?.name ?? place.region,
        tps: place.tps,
        category: body.category,
        categoryLabel: INCIDENT_CATEGORY_LABELS[body.category],
        urgency: body.urgency,
        text: body.text,
        status: 'open',
        simulated,
        hasPhoto: !!body.photo,
      })
      return { httpStatus: 201 as const, id }
    })
  }

  listIncidents(
    p: Principal,
    filter: { status?: 'open' | 'handled'; after?: number; limit?: number } = {},
  ): IncidentDto[] {
    const view = atLeast(p, 'operator') ? 'full' : p.role === 'reporter' ? 'own' : 'public'
    const rows = this.intake.listIncidents({
      status: filter.status ?? null,
      after: filter.after ?? 0,
      reporter: view === 'own' ? p.id : null,
      limit: Math.min(1000, Math.max(1, filter.limit ?? 200)),
    }) as IncidentRow[]
    return rows.map((r) => this.incidentDto(r, view))
  }

  /**
   * Link a photo to an incident sent without one: the phone delivers an incident's text at once
   * and its photo later when the desk first refused it (photo quota full, raised afterwards). Only
   * the reporter who made the incident, or staff. An incident keeps one photo: the same one again
   * is a resend (200, nothing changes); a different one is refused (409), never swapped silently.
   */
  async attachIncidentPhoto(
    p: Principal,
    id: number,
    file: string,
  ): Promise<{ outcome: 'attached' | 'duplicate'; incident: IncidentDto }> {
    if (p.role === 'display') throw forbidden('Akun tampilan (display) tidak bisa mengirim foto')
    const staff = atLeast(p, 'operator')
    const owned = (row: IncidentRow | undefined): IncidentRow => {
      if (!row) throw notFound(`Kejadian #${id} tidak ditemukan`)
      if (!staff && row.reporter !== p.id)
        throw forbidden(
          `Kejadian #${id} dilaporkan orang lain: hanya pelapornya atau operator desk yang boleh menambah foto`,
        )
      return row
    }
    const conflict = () =>
      new DeskError(
        409,
        'photo_exists',
        `Kejadian #${id} sudah punya foto lain. Satu kejadian hanya satu foto; kirim foto tambahan sebagai laporan kejadian baru.`,
        { photo: 'Kejadian ini sudah punya foto' },
      )
    // Checked here for a clear answer without queueing, and again in the writer, where two
    // attaches of different photos cannot both pass.
    const before = owned(this.intake.incidentById(id))
    if (before.photo !== null && before.photo !== file) throw conflict()
    this.assertPhotoUsable(p, file)
    const outcome = await this.desk.write(() => {
      const row = owned(this.intake.incidentById(id))
      if (row.photo === file) return 'duplicate' as const
      if (row.photo !== null) throw conflict()
      this.intake.setIncidentPhoto(id, file)
      this.store.audit(p.id, 'incident.photo', row.tps ?? row.region, { id, file })
      // Same event as a status change: screens listing incidents reload the row (the console then
      // shows the photo). No names, no file name: boards receive it too.
      this.store.appendEvent('incident.updated', { id, status: row.status, hasPhoto: true })
      return 'attached' as const
    })
    return {
      outcome,
      incident: this.incidentDto(this.intake.incidentById(id)!, staff ? 'full' : 'own'),
    }
  }

  async setIncidentStatus(
    actor: Principal,
    id: number,
    status: 'open' | 'handled',
  ): Promise<IncidentDto> {
    if (!this.intake.incidentById(id)) throw notFound(`Kejadian #${id} tidak ditemukan`)
    await this.desk.write(() => {
      this.intake.setIncidentStatus(id, status)
      this.store.audit(actor.id, 'incident.status', String(id), { status })
      this.store.appendEvent('incident.updated', { id, status })
    })
    return this.incidentDto(this.intake.incidentById(id)!, 'full')
  }
}
