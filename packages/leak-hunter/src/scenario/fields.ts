// Small readers that validate one field each and name its path in the error.
import { ScenarioInvalidError } from '../errors.js'

export type Obj = Record<string, unknown>

export function fail(path: string, problem: string): never {
  throw new ScenarioInvalidError(path, problem)
}

export function describe(value: unknown): string {
  if (value === null) {
    return 'null'
  }
  if (Array.isArray(value)) {
    return 'an array'
  }
  if (typeof value === 'string') {
    return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`
  }
  if (value === undefined) {
    return 'nothing'
  }
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`
}

export function join(path: string, key: string | number): string {
  if (typeof key === 'number') {
    return `${path}[${key}]`
  }
  return path === '' ? key : `${path}.${key}`
}

export function asObject(value: unknown, path: string, known: readonly string[]): Obj {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    fail(path, `expected an object, got ${describe(value)}`)
  }
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) {
      fail(join(path, key), `unknown field (expected one of: ${known.join(', ')})`)
    }
  }
  return value as Obj
}

export function asString(value: unknown, path: string): string {
  if (typeof value !== 'string') {
    fail(path, `expected a string, got ${describe(value)}`)
  }
  return value
}

export function asNonEmptyString(value: unknown, path: string): string {
  const s = asString(value, path)
  if (s.trim() === '') {
    fail(path, 'expected a non-empty string')
  }
  return s
}

export function asBoolean(value: unknown, path: string): boolean {
  if (typeof value !== 'boolean') {
    fail(path, `expected true or false, got ${describe(value)}`)
  }
  return value
}

export function asNumber(
  value: unknown,
  path: string,
  range: { min?: number; max?: number; integer?: boolean } = {}
): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    fail(path, `expected a number, got ${describe(value)}`)
  }
  if (range.integer === true && !Number.isInteger(value)) {
    fail(path, `expected an integer, got ${value}`)
  }
  if (range.min !== undefined && value < range.min) {
    fail(path, `expected at least ${range.min}, got ${value}`)
  }
  if (range.max !== undefined && value > range.max) {
    fail(path, `expected at most ${range.max}, got ${value}`)
  }
  return value
}

export function asArray(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) {
    fail(path, `expected a list, got ${describe(value)}`)
  }
  return value
}

export function asStringList(value: unknown, path: string): string[] {
  // A comma-separated string is accepted too, because that is what flags look like.
  if (typeof value === 'string') {
    return value
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '')
  }
  return asArray(value, path).map((item, i) => asNonEmptyString(item, join(path, i)))
}

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }

/** A duration as milliseconds (number) or a string such as `500ms`, `30s`, `2m`, `1h`, `1m30s`. */
export function asDurationMs(value: unknown, path: string, allowZero = true): number {
  let ms: number
  if (typeof value === 'number') {
    ms = asNumber(value, path, { min: 0 })
  } else if (typeof value === 'string') {
    const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/y
    const text = value.trim()
    let at = 0
    ms = 0
    if (text === '') {
      fail(path, 'expected a duration such as "30s", "500ms" or "2m"')
    }
    while (at < text.length) {
      re.lastIndex = at
      const m = re.exec(text)
      if (m === null) {
        fail(path, `expected a duration such as "30s", "500ms" or "2m", got ${describe(value)}`)
      }
      ms += Number(m[1]) * (UNITS[m[2] ?? 'ms'] ?? 1)
      at = re.lastIndex
    }
  } else {
    fail(
      path,
      `expected a duration (milliseconds or a string such as "30s"), got ${describe(value)}`
    )
  }
  if (!allowZero && ms <= 0) {
    fail(path, 'expected a duration above zero')
  }
  return ms
}

/** An object whose keys are user-chosen names (headers, form fields, variables). */
export function asRecord(value: unknown, path: string): Obj {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    fail(path, `expected an object, got ${describe(value)}`)
  }
  return value as Obj
}
