import type { FeatureCollection } from 'geojson'
import { afterEach, describe, expect, it } from 'vitest'
import type { BoardLayoutDto } from '../../src/shared/board'
import { startDesk, type TestDesk } from '../helpers/desk'
import { fixtureText } from './helpers'

describe('boundaries shipped with the desk', () => {
  const desks: TestDesk[] = []
  afterEach(async () => {
    for (const d of desks.splice(0)) await d.stop().catch(() => undefined)
  })

  it('a new Jember desk shows both layers of the geographic map without any import', async () => {
    const desk = await startDesk()
    desks.push(desk)
    const layout = await desk.call<BoardLayoutDto>('GET', '/board/layout')
    expect(layout.body.boundaries.map((b) => [b.level, b.features])).toEqual([
      ['desa', 248],
      ['kecamatan', 31],
    ])
    expect(layout.body.boundaries[0]!.source).toMatch(/wilayah_boundaries.*MIT/)
    const kec = await desk.call<FeatureCollection>('GET', '/board/boundaries/kecamatan')
    expect(kec.status).toBe(200)
    expect(kec.body.features.map((f) => f.properties?.code).sort()).toEqual(
      Array.from({ length: 31 }, (_, i) => `35.09.${String(i + 1).padStart(2, '0')}`),
    )
    const etag = kec.headers.get('etag')!
    expect(
      (
        await desk.call('GET', '/board/boundaries/kecamatan', undefined, undefined, {
          'if-none-match': etag,
        })
      ).status,
    ).toBe(304)
  })

  it('once the admin removes the map it stays removed, also after a restart', async () => {
    const first = await startDesk()
    const dataDir = first.dataDir
    expect(
      (await first.call<{ removed: number }>('DELETE', '/board/boundaries')).body.removed,
    ).toBe(2)
    expect((await first.call<BoardLayoutDto>('GET', '/board/layout')).body.boundaries).toEqual([])
    await first.close()
    const again = await startDesk({ dataDir })
    desks.push(again)
    expect((await again.call<BoardLayoutDto>('GET', '/board/layout')).body.boundaries).toEqual([])
    expect((await again.call('GET', '/board/boundaries/desa')).status).toBe(404)
  })

  it("an admin's own import replaces the shipped layers", async () => {
    const desk = await startDesk()
    desks.push(desk)
    const imported = await desk.call(
      'POST',
      '/board/boundaries?property=kode&name=batas-sendiri.geojson',
      fixtureText('jember-kecamatan.geojson'),
    )
    expect(imported.status).toBe(200)
    const layout = await desk.call<BoardLayoutDto>('GET', '/board/layout')
    expect(layout.body.boundaries).toEqual([
      expect.objectContaining({
        level: 'kecamatan',
        features: 31,
        source: 'batas-sendiri.geojson',
      }),
    ])
  })

  it('another regency ships none: its board keeps the tiles', async () => {
    const desk = await startDesk({ regency: '35.78' })
    desks.push(desk)
    expect((await desk.call<BoardLayoutDto>('GET', '/board/layout')).body.boundaries).toEqual([])
  })
})
