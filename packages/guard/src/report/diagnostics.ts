// Every diagnostics_channel of this package in one table. Messages carry ids and field names,
// never marker values or body bytes. Publishing is guarded by hasSubscribers.
import diagnosticsChannel from 'node:diagnostics_channel'
import type { GuardError } from '../errors.js'

export const channels = {
  /** a response carried another identity's data (or lacked its owner's): LeakMessage */
  leak: 'crosstalk:guard:leak',
  /** a response was sent or withheld unchecked (too large, already compressed): UncheckedMessage */
  unchecked: 'crosstalk:guard:unchecked',
  /** the guard failed on a response and failed open or closed: ErrorMessage */
  error: 'crosstalk:guard:error',
} as const

export type LeakReason = 'foreign-identity' | 'owner-missing' | 'foreign-session-cookie'

/** blocked: replaced by a 500; reported: sent (report mode); passed: found after it was sent (fail-open overflow). */
export type LeakAction = 'blocked' | 'reported' | 'passed'

export interface ResponseRef {
  method: string
  /** Path without the query string (a query may hold tokens). */
  path: string
  status: number
}

export interface LeakMessage extends ResponseRef {
  mode: 'report' | 'block'
  action: LeakAction
  reasons: LeakReason[]
  /** The identity the response was for; undefined for an anonymous response. */
  owner: string | undefined
  /** Other identities whose markers it carried, with the fields that matched. */
  foreign: Array<{ id: string; fields: string[] }>
}

export interface UncheckedMessage extends ResponseRef {
  reason: 'overflow' | 'encoded'
  action: 'failed-open' | 'failed-closed'
  owner: string | undefined
}

export interface ErrorMessage extends ResponseRef {
  error: GuardError
  action: 'failed-open' | 'failed-closed'
}

export const leakChannel = diagnosticsChannel.channel(channels.leak)
export const uncheckedChannel = diagnosticsChannel.channel(channels.unchecked)
export const errorChannel = diagnosticsChannel.channel(channels.error)
