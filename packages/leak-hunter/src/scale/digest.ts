// What identifies "the same run" across shards and agents: the scenario as resolved (seed
// and the accounts file's path excluded, so every part can be told the seed and keep its files
// where it likes) and every account row. A part whose digest
// differs would split other accounts, or check other markers, and cannot be merged.
import { createHash } from 'node:crypto'
import type { Scenario } from '../scenario/types.js'

export function scenarioDigest(scenario: Scenario): string {
  const raw = { ...scenario.raw }
  const load = typeof raw.load === 'object' && raw.load !== null ? { ...raw.load } : {}
  delete (load as Record<string, unknown>).seed
  raw.load = load
  // Where the accounts file lies may differ between machines; its rows are hashed below.
  const accounts =
    typeof raw.accounts === 'object' && raw.accounts !== null ? { ...raw.accounts } : {}
  delete (accounts as Record<string, unknown>).file
  raw.accounts = accounts
  const hash = createHash('sha256')
  hash.update(JSON.stringify(raw))
  for (const a of scenario.accounts) {
    hash.update('\u0000')
    hash.update(JSON.stringify(a.fields))
  }
  hash.update(`\u0000vus=${scenario.load.vus}`)
  return `sha256:${hash.digest('hex')}`
}
