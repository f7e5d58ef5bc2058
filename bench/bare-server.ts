// The baseline of bench/intake: a bare express JSON endpoint, nothing else (no auth, no logging,
// no database), in its own process like the desk. Prints its URL, then serves until SIGTERM.
import express from 'express'

const app = express()
app.use(express.json())
app.post('/echo', (req, res) => {
  res.status(201).json({ status: 'accepted', tps: (req.body as { tps?: string }).tps ?? null })
})
const server = app.listen(0, '127.0.0.1', () => {
  const address = server.address()
  if (address && typeof address === 'object')
    process.stdout.write(`siap di http://127.0.0.1:${address.port}\n`)
})
process.on('SIGTERM', () => server.close(() => process.exit(0)))
