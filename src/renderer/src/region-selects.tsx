import type { RegionsDto } from '../../shared/api'

export interface RegionSelectsProps {
  regions: RegionsDto | null | undefined
  kecamatan: string
  onKecamatan: (code: string) => void
  /** Omit to offer the kecamatan alone. */
  desa?: string
  onDesa?: (code: string) => void
  labels: { kecamatan: string; anyKecamatan: string; desa?: string; anyDesa?: string }
  requireKecamatan?: boolean
  /** The desk refused the region chosen: marks the kecamatan list. */
  invalid?: boolean
}

/**
 * Kecamatan, then one of its desa/kelurahan: the pair of lists every screen that picks a region
 * uses. Choosing another kecamatan clears the desa.
 */
export function RegionSelects(props: RegionSelectsProps) {
  const { regions, kecamatan, desa, onDesa, labels } = props
  const kec = regions?.kecamatan.find((k) => k.code === kecamatan)
  return (
    <>
      <label>
        {labels.kecamatan}{' '}
        <select
          value={kecamatan}
          onChange={(e) => {
            props.onKecamatan(e.target.value)
            onDesa?.('')
          }}
          required={props.requireKecamatan}
          aria-invalid={props.invalid || undefined}
        >
          <option value="">{labels.anyKecamatan}</option>
          {regions?.kecamatan.map((k) => (
            <option key={k.code} value={k.code}>
              {k.name}
            </option>
          ))}
        </select>
      </label>
      {onDesa && (
        <label>
          {labels.desa}{' '}
          <select value={desa} onChange={(e) => onDesa(e.target.value)} disabled={!kec}>
            <option value="">{labels.anyDesa}</option>
            {kec?.desa.map((d) => (
              <option key={d.code} value={d.code}>
                {d.name}
              </option>
            ))}
          </select>
        </label>
      )}
    </>
  )
}
