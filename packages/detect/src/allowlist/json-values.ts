// JSON-path allowlists: the raw extent of every value a path names in a JSON body. One pass over
// the text with a path stack; a value no path can reach is skipped, not descended into. A body
// that stops being JSON keeps the spans of the values completed before that point.

/** A path step: a member name, an array index, or `*` (any member or element). */
export type JsonStep = string | number | typeof ANY

export const ANY: unique symbol = Symbol('any')

/**
 * Parses `team`, `data.team[*].name`, `$.items[0]`, `team.*`, `['odd name']`; returns a message
 * when it cannot.
 */
export function parseJsonPattern(path: string): JsonStep[] | string {
  let rest = path.trim()
  if (rest.startsWith('$')) {
    rest = rest.slice(1)
  } else if (rest !== '' && rest[0] !== '[') {
    rest = `.${rest}`
  }
  const steps: JsonStep[] = []
  const re = /\.([^.[\]'"]+)|\[(\d+)\]|\[\*\]|\['((?:[^'\\]|\\.)*)'\]|\["((?:[^"\\]|\\.)*)"\]/y
  let at = 0
  while (at < rest.length) {
    re.lastIndex = at
    const m = re.exec(rest)
    if (m === null) {
      return `cannot parse "${path}" at offset ${at}: use names, [index], [*] or .*, e.g. "team[*].name"`
    }
    const quoted = m[3] ?? m[4]
    if (m[1] !== undefined) {
      steps.push(m[1] === '*' ? ANY : m[1])
    } else if (m[2] !== undefined) {
      steps.push(Number(m[2]))
    } else if (quoted !== undefined) {
      steps.push(quoted.replace(/\\(.)/g, '$1'))
    } else {
      steps.push(ANY)
    }
    at = re.lastIndex
  }
  if (steps.length === 0) {
    return 'expected a path below the top, such as "team" or "data.members[*]"'
  }
  return steps
}

/** Whether the body starts like JSON (the only bodies JSON paths apply to), after a BOM or spaces. */
export function looksLikeJson(bytes: Uint8Array): boolean {
  let i = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0
  for (; i < bytes.length; i++) {
    const c = bytes[i]
    if (c === 0x7b || c === 0x5b) {
      return true
    }
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) {
      return false
    }
  }
  return false
}

class Stop extends Error {}

/** Flat [start, end) ranges of the values `patterns` name in `text`. */
export function jsonValueRanges(text: string, patterns: readonly JsonStep[][]): number[] {
  const ranges: number[] = []
  const path: Array<string | number> = []
  let i = 0

  const fail = (): never => {
    throw new Stop()
  }
  const space = (): void => {
    for (let c = text.charCodeAt(i); c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;) {
      c = text.charCodeAt(++i)
    }
  }
  const stepMatches = (step: JsonStep, at: string | number): boolean => step === ANY || step === at
  /** 2 when a pattern names this path, 1 when one names something below it, else 0. */
  const reach = (): number => {
    let best = 0
    for (const p of patterns) {
      if (p.length < path.length) {
        continue
      }
      let ok = true
      for (let d = 0; d < path.length && ok; d++) {
        ok = stepMatches(p[d] as JsonStep, path[d] as string | number)
      }
      if (ok) {
        best = p.length === path.length ? 2 : Math.max(best, 1)
      }
    }
    return best
  }
  const string = (): string => {
    const start = i
    i++
    for (;;) {
      const c = text.charCodeAt(i)
      if (Number.isNaN(c) || c < 0x20) {
        fail()
      }
      if (c === 0x22) {
        i++
        return text.slice(start, i)
      }
      i += c === 0x5c ? 2 : 1
    }
  }
  const scalar = (): void => {
    const m = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null/y
    m.lastIndex = i
    if (m.exec(text) === null) {
      fail()
    }
    i = m.lastIndex
  }
  const value = (within: number): void => {
    space()
    const start = i
    const here = within === 2 ? 0 : reach()
    const c = text.charCodeAt(i)
    if (c === 0x7b) {
      i++
      space()
      if (text.charCodeAt(i) === 0x7d) {
        i++
      } else {
        for (;;) {
          space()
          if (text.charCodeAt(i) !== 0x22) {
            fail()
          }
          const key = string()
          space()
          if (text.charCodeAt(i) !== 0x3a) {
            fail()
          }
          i++
          path.push(here === 1 ? (JSON.parse(key) as string) : '')
          value(here === 1 ? 1 : 2)
          path.pop()
          space()
          const next = text.charCodeAt(i++)
          if (next === 0x7d) {
            break
          }
          if (next !== 0x2c) {
            fail()
          }
        }
      }
    } else if (c === 0x5b) {
      i++
      space()
      if (text.charCodeAt(i) === 0x5d) {
        i++
      } else {
        for (let index = 0; ; index++) {
          path.push(index)
          value(here === 1 ? 1 : 2)
          path.pop()
          space()
          const next = text.charCodeAt(i++)
          if (next === 0x5d) {
            break
          }
          if (next !== 0x2c) {
            fail()
          }
        }
      }
    } else if (c === 0x22) {
      string()
    } else {
      scalar()
    }
    if (here === 2) {
      ranges.push(start, i)
    }
  }

  try {
    if (text.charCodeAt(0) === 0xfeff) {
      i = 1
    }
    value(patterns.length === 0 ? 2 : 1)
  } catch (err) {
    // Not JSON from here on, or nested deeper than the stack allows: keep what was completed.
    if (!(err instanceof Stop) && !(err instanceof RangeError)) {
      throw err
    }
  }
  return ranges
}
