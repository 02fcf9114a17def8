// A worker or agent that stopped before the end: how it went, and which VUs and accounts it had.
import { assignAccounts } from '../engine/login-phase.js'
import { sliceMembers } from '../engine/slice.js'
import type { Slice } from '../engine/slice.js'
import type { LostPart, PhaseName } from '../report/types.js'
import type { Scenario } from '../scenario/types.js'

/** Account ids listed per lost part; the rest are counted. */
const ACCOUNTS_LISTED = 100

/** Words for how a worker's call ended (ipc-rpc's errors carry pid, exit code and signal). */
export function lostReason(err: unknown): string {
  const e = err as {
    code?: string
    exitCode?: number | null
    signal?: string | null
    message?: string
    remoteName?: string
  }
  switch (e.code ?? '') {
    case 'RPC_ERR_PEER_GONE':
      return e.signal !== null && e.signal !== undefined
        ? `was killed by ${e.signal}`
        : e.exitCode !== null && e.exitCode !== undefined
          ? `exited with code ${e.exitCode}`
          : 'disconnected'
    case 'RPC_ERR_CHILD_HUNG':
      return 'stopped answering (it missed its heartbeat and was killed)'
    case 'RPC_ERR_REMOTE':
      return `failed: ${e.remoteName ?? 'Error'}: ${e.message ?? ''}`
    default:
      return `failed: ${e.code ?? 'error'}: ${e.message ?? String(err)}`
  }
}

export interface LostInput {
  kind: LostPart['kind']
  index: number
  pid?: number
  host?: string
  phase: PhaseName
  reason: string
  slice: Slice
  err?: unknown
}

export function lostPart(scenario: Scenario, input: LostInput): LostPart {
  const { load } = scenario
  const assignment = assignAccounts(scenario.accounts.length, load.vus, load.seed)
  const vus = sliceMembers(load.vus, input.slice)
  const accounts = vus.map((vu) => scenario.accounts[assignment[vu]!]!.id)
  const e = input.err as { exitCode?: number | null; signal?: string | null } | undefined
  return {
    kind: input.kind,
    index: input.index,
    ...(input.pid === undefined ? {} : { pid: input.pid }),
    ...(input.host === undefined ? {} : { host: input.host }),
    phase: input.phase,
    reason: input.reason,
    ...(e?.exitCode === undefined ? {} : { exitCode: e.exitCode }),
    ...(e?.signal === undefined ? {} : { signal: e.signal }),
    vus: vus.length,
    accounts: accounts.slice(0, ACCOUNTS_LISTED),
    accountsOmitted: Math.max(0, accounts.length - ACCOUNTS_LISTED),
  }
}
