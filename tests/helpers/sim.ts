import { readFileSync } from 'node:fs'
import { simulateCommand, type CommandIo } from '../../src/sim/command'
import type { SimSummary } from '../../src/sim/driver'
import { ADMIN_TOKEN, type TestDesk } from './desk'

/** The simulator's terminal, kept: what it printed and what it printed as errors. */
export function captureIo(): CommandIo & { lines: string[]; errors: string[] } {
  const lines: string[] = []
  const errors: string[] = []
  return { lines, errors, out: (l) => lines.push(l), err: (l) => errors.push(l), env: {} }
}

/**
 * `desk-pilkada simulate` against `desk` as its admin, writing its summary to `summaryFile`:
 * the exit code, the summary as written, and the terminal output.
 */
export async function runSimulator(desk: TestDesk, summaryFile: string, args: string[]) {
  const io = captureIo()
  const code = await simulateCommand(
    ['--url', desk.url, '--token', ADMIN_TOKEN, '--summary', summaryFile, ...args],
    io,
  )
  const summary = JSON.parse(readFileSync(summaryFile, 'utf8')) as SimSummary
  return { code, summary, io }
}
