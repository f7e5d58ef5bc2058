// The `simulate` and `demo` verbs of the desk CLI (src/host/cli.ts hands them their arguments).
// simulate only drives a desk's API (src/sim); demo starts a desk of its own, so it lives here.

import { processIo, simulateCommand, UsageError } from '../sim/command'
import { demoCommand } from './demo'

export const SIM_VERBS = ['simulate', 'demo'] as const

/** `simulate` with Ctrl+C: stop sending, print what was done so far (exit 130). */
async function simulateWithSignals(args: string[]): Promise<number> {
  const abort = new AbortController()
  const stop = () => abort.abort()
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
  try {
    return await simulateCommand(args, processIo, abort.signal)
  } finally {
    process.off('SIGINT', stop)
    process.off('SIGTERM', stop)
  }
}

export async function runSimVerb(verb: string, args: string[]): Promise<void> {
  try {
    process.exitCode = verb === 'demo' ? await demoCommand(args) : await simulateWithSignals(args)
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e)
    processIo.err(
      e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')
        ? `${message}\n(lihat: ${verb} --help)`
        : message,
    )
    process.exitCode = 1
  }
}
