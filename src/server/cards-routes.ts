import type { TLSSocket } from 'node:tls'
import { Router } from 'express'
import { CardsService } from '../service/cards-service'
import type { DeskCore } from '../service/core'
import { cardAddresses, type CardAddressesDto } from '../shared/cards'
import { bulkReissueSchema, publicUrlSchema } from '../shared/cards-schemas'
import type { DeskReach, Feature } from './features'
import { parse, who, type RouteContext } from './routes'

/**
 * Credential cards (issue 11): where the cards send people (the public URL first, then the LAN
 * addresses the desk serves) and new codes for many people at once. Admin only: the answers hold
 * access codes, and the address decides where 279 reporters' phones will go.
 */
export function createCards(
  core: DeskCore,
  deps: { publicUrl: string | null; reach: DeskReach },
): Feature<CardsService> {
  const service = new CardsService(core, deps.publicUrl)
  return { service, router: (ctx) => cardsRouter(ctx, service, deps.reach) }
}

function cardsRouter(ctx: RouteContext, cards: CardsService, reach: DeskReach): Router {
  const { requireAuth, json } = ctx
  const r = Router()

  r.get('/intake/addresses', requireAuth('admin'), (req, res) => {
    const lan = reach.listening()
    const port = lan?.port ?? req.socket.localPort ?? 0
    const host = lan?.host ?? req.socket.localAddress ?? '0.0.0.0'
    // Over TLS the LAN addresses answer https only: an http:// card would open nothing.
    const scheme = lan?.scheme ?? ((req.socket as TLSSocket).encrypted ? 'https' : 'http')
    const pub = cards.publicUrl()
    const { urls, loopbackOnly } = cardAddresses({
      publicUrl: pub.publicUrl,
      host,
      port,
      lan: reach.lanAddresses(),
      scheme,
    })
    const answer: CardAddressesDto = { ...pub, urls, port, host, loopbackOnly }
    res.set('Cache-Control', 'no-store')
    res.json(answer)
  })

  r.get('/intake/public-url', requireAuth('admin'), (_req, res) => {
    res.json(cards.publicUrl())
  })

  r.put('/intake/public-url', requireAuth('admin'), json, async (req, res) => {
    const body = parse(publicUrlSchema, req.body)
    res.json(await cards.setPublicUrl(who(res), body.publicUrl))
  })

  r.delete('/intake/public-url', requireAuth('admin'), async (_req, res) => {
    res.json(await cards.setPublicUrl(who(res), null))
  })

  r.post('/users/reissue', requireAuth('admin'), json, async (req, res) => {
    const body = parse(bulkReissueSchema, req.body)
    const answer = await cards.bulkReissue(who(res), body)
    for (const u of answer.users) ctx.auth.forgetUser(u.id)
    res.set('Cache-Control', 'no-store')
    res.json(answer)
  })

  return r
}
