// A deliberately small JSON path: `a.b[0].c`, optional leading `$.`; no wildcards or filters.

export type PathSegment = string | number

/** Parse a path into segments, or return a message saying what is wrong with it. */
export function parseJsonPath(path: string): PathSegment[] | string {
  let rest = path.trim()
  if (rest === '$') {
    return []
  }
  if (rest.startsWith('$.')) {
    rest = rest.slice(2)
  } else if (rest.startsWith('$[')) {
    rest = rest.slice(1)
  }
  if (rest === '') {
    return 'expected a path such as "data.token" or "items[0].id"'
  }
  const segments: PathSegment[] = []
  const re = /([^.[\]]+)|\[(\d+)\]|\.(?=[^.[\]])/y
  let at = 0
  while (at < rest.length) {
    re.lastIndex = at
    const m = re.exec(rest)
    if (m === null) {
      return `cannot parse "${path}" at offset ${at}: use dotted names and [index]`
    }
    if (m[1] !== undefined) {
      segments.push(m[1])
    } else if (m[2] !== undefined) {
      segments.push(Number(m[2]))
    }
    at = re.lastIndex
  }
  return segments
}

/** Follow a parsed path; undefined when any step is missing. */
export function readJsonPath(value: unknown, segments: readonly PathSegment[]): unknown {
  let current: unknown = value
  for (const segment of segments) {
    if (typeof segment === 'number') {
      if (!Array.isArray(current)) {
        return undefined
      }
      current = current[segment]
    } else {
      if (current === null || typeof current !== 'object' || Array.isArray(current)) {
        return undefined
      }
      if (!Object.hasOwn(current, segment)) {
        return undefined
      }
      current = (current as Record<string, unknown>)[segment]
    }
  }
  return current
}
