// The counter API: plain numbers, cheap to bump on every response, copied out by stats().
import type { ScannerStats } from '../detection/body-scanner.js'
import type { EvictionReason } from '../identity/registry.js'
import type { GuardMode } from '../options.js'
import type { LeakReason } from './diagnostics.js'

export interface GuardCounters {
  /** Responses the guard saw (every mode but off). */
  responses: number
  /** Bodies scanned. */
  scanned: number
  /** Responses with at least one leak reason. */
  leaks: number
  /** Leaking responses replaced by a 500 (block mode). */
  blocked: number
  /** Leaking responses sent and reported (report mode). */
  reported: number
  /** Leaks found only after the body had left (block mode, fail-open overflow). */
  passed: number
  /** Leaking responses by reason (one response may count under several). */
  reasons: Record<LeakReason, number>
  /** Responses whose body was not scanned, by why. */
  skipped: { anonymous: number; type: number; noBody: number; sampledOut: number }
  /** Bodies that could not be checked in full, by why (the overflow and onError settings decide). */
  unchecked: { overflow: number; encoded: number }
  /** Internal failures of the guard on a response. */
  errors: number
  /** Responses replaced by a 500 because the guard could not decide (overflow, encoded, error). */
  failedClosed: number
  /** Responses sent unchecked because the guard could not decide. */
  failedOpen: number
}

export interface GuardStats extends GuardCounters {
  mode: GuardMode
  /** Active identities in the registry, and their estimated bytes. */
  identities: number
  registryBytes: number
  /** Identities evicted so far, by why. */
  evicted: Record<EvictionReason, number>
  index: ScannerStats
}

export function newCounters(): GuardCounters {
  return {
    responses: 0,
    scanned: 0,
    leaks: 0,
    blocked: 0,
    reported: 0,
    passed: 0,
    reasons: { 'foreign-identity': 0, 'owner-missing': 0, 'foreign-session-cookie': 0 },
    skipped: { anonymous: 0, type: 0, noBody: 0, sampledOut: 0 },
    unchecked: { overflow: 0, encoded: 0 },
    errors: 0,
    failedClosed: 0,
    failedOpen: 0,
  }
}

export function copyCounters(c: GuardCounters): GuardCounters {
  return {
    ...c,
    reasons: { ...c.reasons },
    skipped: { ...c.skipped },
    unchecked: { ...c.unchecked },
  }
}
