// What the `berjenjang` profile may carry: places, codes, numbers, statuses, categories and times —
// nothing a person typed. Rather than masking what looks like a phone number (which misses the ways
// people write them, and cannot see names, NIK or codes at all), the profile is built from a copy of
// the data that keeps only fields on this list. Anything typed (incident texts, status reasons, KPU
// source names, snapshot labels, reporters and callers) is dropped here, so no sheet can print it
// even by mistake; where it matters the copy says *that* something exists (a reason, a description),
// never what it says.

import type { RecapSource, SourceIncident, SourceResult, SourceTps } from './source'

const CHANNELS = new Set(['web', 'api', 'telepon', 'simulasi'])
const CATEGORIES = new Set(['keamanan', 'logistik', 'cuaca', 'protes', 'lainnya'])
const URGENCIES = new Set(['rendah', 'sedang', 'tinggi'])
const INCIDENT_STATUS = new Set(['open', 'handled'])
const CODE = /^\d{2}(?:\.\d{2}(?:\.\d{2}(?:\.\d{4}(?:\.\d{3})?)?)?)?$/

/** A value from a closed list, or the list's catch-all: never a typed string. */
const oneOf = (allowed: Set<string>, v: string, otherwise: string) =>
  allowed.has(v) ? v : otherwise
const code = (v: string | null): string | null => (v !== null && CODE.test(v) ? v : null)
const count = (v: number) => (Number.isFinite(v) ? v : 0)
const instant = (v: string) =>
  Number.isNaN(Date.parse(v)) ? new Date(0).toISOString() : new Date(v).toISOString()

/** Marks a free-text field that held something: the sheets say "tercatat di desk", never the text. */
export const PRESENT = ''

function tps(t: SourceTps): SourceTps {
  return {
    code: code(t.code) ?? '',
    desa: code(t.desa) ?? '',
    number: count(t.number),
    dpt: count(t.dpt),
    dptL: typeof t.dptL === 'number' ? count(t.dptL) : null,
    dptP: typeof t.dptP === 'number' ? count(t.dptP) : null,
    status: t.status === 'postponed' || t.status === 'merged' ? t.status : 'active',
    reason: t.reason ? PRESENT : null,
    mergedInto: code(t.mergedInto),
  }
}

function result(r: SourceResult): SourceResult {
  return {
    tps: code(r.tps) ?? '',
    votes: r.votes.map(count),
    valid: count(r.valid),
    invalid: count(r.invalid),
    total: count(r.total),
    voters: r.voters
      ? [count(r.voters[0]), count(r.voters[1]), count(r.voters[2]), count(r.voters[3])]
      : null,
    receivedAt: instant(r.receivedAt),
    channel: oneOf(CHANNELS, r.channel, 'api'),
    review: r.review === 'flagged' || r.review === 'confirmed' ? r.review : 'none',
    reporter: null,
    caller: null,
  }
}

function incident(i: SourceIncident): SourceIncident {
  return {
    id: count(i.id),
    at: instant(i.at),
    region: code(i.region) ?? '',
    tps: code(i.tps),
    category: oneOf(CATEGORIES, i.category, 'lainnya'),
    urgency: oneOf(URGENCIES, i.urgency, 'sedang'),
    // Every incident has a description (the desk requires one): berjenjang only says it exists.
    text: PRESENT,
    photo: i.photo === true,
    status: oneOf(INCIDENT_STATUS, i.status, 'open'),
    simulated: i.simulated === true,
    reporter: null,
  }
}

/**
 * The data as the `berjenjang` profile sees it. Place names come from the Kemendagri register, and
 * the election, contest and pair names from the desk's configuration (public, shown on the public
 * page): those stay; every field people type on election night goes.
 */
export function allowListed(source: RecapSource): RecapSource {
  return {
    format: source.format,
    generatedAt: source.generatedAt,
    desk: source.desk,
    contests: source.contests.map((c) => ({
      id: c.id,
      name: c.name,
      candidates: c.candidates.map((k) => ({ number: count(k.number), name: k.name })),
      openConflicts: count(c.openConflicts),
      disputes: (c.disputes ?? []).map((d) => ({
        tps: code(d.tps) ?? '',
        kind: d.kind === 'correction' ? 'correction' : 'conflict',
      })),
    })),
    kecamatan: source.kecamatan,
    desa: source.desa,
    tps: source.tps.map(tps),
    results: Object.fromEntries(
      Object.entries(source.results).map(([k, list]) => [k, list.map(result)]),
    ),
    reporters: [],
    incidents: source.incidents?.map(incident) ?? null,
    kpu: source.kpu
      ? {
          thresholdPercent: count(source.kpu.thresholdPercent),
          // Field by field, like everything else here: a field added to KpuSet later stays out until listed.
          sets: source.kpu.sets.map((s) => ({
            contest: source.contests.some((c) => c.id === s.contest) ? s.contest : '',
            importId: count(s.importId),
            importedAt: instant(s.importedAt),
            source: PRESENT,
            level: s.level === 'tps' || s.level === 'desa' ? s.level : 'kecamatan',
            figures: s.figures.map((f) => ({
              region: code(f.region) ?? '',
              votes: f.votes.map(count),
              valid: count(f.valid),
              invalid: count(f.invalid),
            })),
          })),
        }
      : null,
  }
}
