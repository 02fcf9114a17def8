// The one line a leak, an unchecked body or a guard failure writes to the application's logger:
// ids and field names only, never a marker value or a byte of the body.
import type { ErrorMessage, LeakMessage, UncheckedMessage } from './diagnostics.js'

/** pino-shaped (Fastify's request.log fits); console fits too. */
export interface GuardLogger {
  warn(fields: object, message: string): void
  error(fields: object, message: string): void
}

const MAX_IDS = 10

export function leakLine(m: LeakMessage): string {
  const ids = m.foreign.map((f) => f.id)
  const listed = ids.slice(0, MAX_IDS).join(', ') + (ids.length > MAX_IDS ? ', ...' : '')
  const fields = [...new Set(m.foreign.flatMap((f) => f.fields))].join(', ')
  const who = m.owner === undefined ? 'an anonymous request' : `identity ${m.owner}`
  const parts = [
    `guard: ${m.action} ${m.method} ${m.path} (${m.status}) for ${who}: ${m.reasons.join(', ')}`,
  ]
  if (ids.length > 0) {
    parts.push(
      `markers of ${ids.length} other identit${ids.length === 1 ? 'y' : 'ies'} (${listed}; fields ${fields})`
    )
  }
  return parts.join('; ')
}

export function uncheckedLine(m: UncheckedMessage): string {
  const why =
    m.reason === 'overflow' ? 'body larger than maxBufferBytes' : 'body already compressed'
  return `guard: ${m.action} ${m.method} ${m.path} (${m.status}) unchecked: ${why}`
}

export function errorLine(m: ErrorMessage): string {
  return `guard: ${m.action} ${m.method} ${m.path} (${m.status}) after an internal error [${m.error.code}]`
}

export function leakFields(m: LeakMessage): object {
  return {
    guard: {
      event: 'leak',
      action: m.action,
      reasons: m.reasons,
      owner: m.owner,
      foreign: m.foreign,
      method: m.method,
      path: m.path,
      status: m.status,
    },
  }
}
