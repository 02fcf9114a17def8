// Response headers from undici's raw [name, value, ...] buffers, as Node's lower-cased record.

export type HeaderRecord = Record<string, string | string[] | undefined>

/** Lower-cased header names seen so far, by name as sent: servers repeat the same dozen. */
const lowerNames = new Map<string, string>()

function lowerName(raw: string): string {
  let lower = lowerNames.get(raw)
  if (lower === undefined) {
    lower = raw.toLowerCase()
    if (lowerNames.size < 1024) {
      lowerNames.set(raw, lower)
    }
  }
  return lower
}

/**
 * Names lower-cased, values as latin1 text (what HTTP/1.1 carries); a repeated header becomes an
 * array in arrival order (Set-Cookie, say).
 */
export function parseRawHeaders(raw: ReadonlyArray<Buffer | string>): HeaderRecord {
  const headers: HeaderRecord = {}
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = lowerName(raw[i]!.toString('latin1'))
    const value = raw[i + 1]!.toString('latin1')
    if (!Object.hasOwn(headers, name)) {
      // defineProperty: a header named __proto__ must stay data, not reach the prototype.
      if (name === '__proto__') {
        Object.defineProperty(headers, name, { value, enumerable: true, writable: true })
      } else {
        headers[name] = value
      }
      continue
    }
    const previous = headers[name]
    if (Array.isArray(previous)) {
      previous.push(value)
    } else {
      headers[name] = [previous ?? '', value]
    }
  }
  return headers
}

/** Whether raw header name `raw` is `lower` (an ASCII lower-case name), ignoring ASCII case. */
function nameIs(raw: Buffer | string, lower: string): boolean {
  if (raw.length !== lower.length) {
    return false
  }
  if (typeof raw === 'string') {
    return raw.toLowerCase() === lower
  }
  for (let j = 0; j < lower.length; j++) {
    const b = raw[j] as number
    if ((b >= 0x41 && b <= 0x5a ? b + 0x20 : b) !== lower.charCodeAt(j)) {
      return false
    }
  }
  return true
}

/**
 * Every value of header `lower` (an ASCII lower-case name) in arrival order, or undefined: what
 * parseRawHeaders would give for it, without turning the other headers into strings.
 */
export function rawHeaderValues(
  raw: ReadonlyArray<Buffer | string>,
  lower: string
): string[] | undefined {
  let values: string[] | undefined
  for (let i = 0; i + 1 < raw.length; i += 2) {
    if (nameIs(raw[i]!, lower)) {
      ;(values ??= []).push(raw[i + 1]!.toString('latin1'))
    }
  }
  return values
}
