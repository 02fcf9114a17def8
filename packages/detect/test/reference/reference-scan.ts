// The obvious scanner, for tests only: the same answers as scan(), written for reading, not speed.
// TextDecoder, one regex that unescapes, a map of characters, a collapse of spaces, NFC, then a
// plain indexOf search for every marker with the boundary, id-context and longest-match rules.
// The case and property tests run both and compare (test/*.test.ts).
import { decodeCodePoint, decodeNamedEntity } from '../../src/text/html-entities.js'
import type { Identity, IdMarkerSpec, IndexOptions } from '../../src/types.js'

export interface ReferenceOptions {
  contentType?: string
  owner?: string
  /** Text rules only: the structural ones are held to parse5 and JSON by their own tests. */
  allowlist?: readonly string[]
}

export interface ReferenceMatch {
  id: string
  column: string
  start: number
  end: number
}

export interface ReferenceResult {
  text: string
  matches: ReferenceMatch[]
  ownerSeen: boolean
  foreign: ReferenceMatch[]
}

const BINARY = /^(image\/(?!svg)|audio\/|video\/|font\/|application\/(octet-stream|zip|pdf))/
const ESCAPE =
  /&#[xX]([0-9a-fA-F]{1,7});?|&#([0-9]{1,7});?|&([A-Za-z0-9]{1,32});|\\u([0-9a-fA-F]{4})|\\(["\\/bfnrt])|<!--\s*-->/g
const JSON_SIMPLE: Record<string, string> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
}
const INVISIBLE = /[\u00ad\u200b-\u200d\u2060]/g
const WORD = /^[\p{L}\p{N}\p{M}]$/u

/** Decodes each escape once (its output is not read again), as a browser shows the text. */
function unescape(text: string): string {
  return text.replace(
    ESCAPE,
    (all, hex?: string, dec?: string, name?: string, unit?: string, simple?: string) => {
      if (hex !== undefined || dec !== undefined) {
        return String.fromCodePoint(
          decodeCodePoint(parseInt(hex ?? (dec as string), hex === undefined ? 10 : 16))
        )
      }
      if (name !== undefined) {
        const cp = decodeNamedEntity(name)
        return cp < 0 ? all : String.fromCodePoint(cp)
      }
      if (unit !== undefined) {
        return String.fromCharCode(parseInt(unit, 16))
      }
      return simple !== undefined ? (JSON_SIMPLE[simple] as string) : ''
    }
  )
}

/** Invisible characters dropped, typographic quotes and dashes as ASCII, whitespace runs as one space, NFC. */
function plain(text: string): string {
  return text
    .replace(INVISIBLE, '')
    .replace(/[\u2018\u2019\u02bc\u2032]/g, "'")
    .replace(/[\u2010-\u2013]/g, '-')
    .replace(/\s+/g, ' ')
    .normalize('NFC')
}

export function referenceNormalize(body: string | Uint8Array, contentType?: string): string {
  if (contentType !== undefined && BINARY.test(contentType.trim().toLowerCase())) {
    return ''
  }
  const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body
  return plain(unescape(new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes)))
}

export function referenceMarker(value: string): string {
  return plain(value).trim()
}

/** Per UTF-16 unit, so that offsets stay put. */
function fold(text: string): string {
  return [...text.split('')]
    .map((u) => (u.toLowerCase().length === 1 ? u.toLowerCase() : u))
    .join('')
}

/** Whether the code point ending before `at` (before) or starting at `at` is a letter, digit or mark. */
function wordAt(text: string, at: number, before: boolean): boolean {
  if (at < 0 || at >= text.length) {
    return false
  }
  const unit = text.charCodeAt(at)
  let cp = String.fromCharCode(unit)
  if (before && unit >= 0xdc00 && unit <= 0xdfff && /[\ud800-\udbff]/.test(text[at - 1] ?? '')) {
    cp = text.slice(at - 1, at + 1)
  } else if (
    !before &&
    unit >= 0xd800 &&
    unit <= 0xdbff &&
    /[\udc00-\udfff]/.test(text[at + 1] ?? '')
  ) {
    cp = text.slice(at, at + 2)
  }
  return WORD.test(cp)
}

const esc = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
const PCHAR = /[A-Za-z0-9\-._~!$&()*+,;=:@%\u0080-\uffff]/

/** Whether text[start, end) stands where `spec` says an id stands (id-context.ts's rules, as regexes). */
function idContext(text: string, start: number, end: number, spec: IdMarkerSpec): boolean {
  const before = text.slice(0, start)
  const after = text.slice(end)
  for (const name of spec.json ?? []) {
    if (new RegExp(`"${esc(name)}" ?: ?"$`).test(before) && after.startsWith('"')) {
      return true
    }
    if (new RegExp(`"${esc(name)}" ?: ?$`).test(before) && /^ ?([,}\]]|$)/.test(after)) {
      return true
    }
  }
  for (const name of spec.attributes ?? []) {
    const q = new RegExp(` ${esc(name)} ?= ?(["'])$`, 'i').exec(before)
    if (q !== null && after.startsWith(q[1] as string)) {
      return true
    }
    if (new RegExp(` ${esc(name)} ?= ?$`, 'i').test(before) && /^([ >/]|$)/.test(after)) {
      return true
    }
  }
  for (const name of spec.pathSegments ?? []) {
    const m = new RegExp(`(^|.)${esc(name)}/$`).exec(before)
    if (
      m !== null &&
      (m[1] === '' || m[1] === '/' || !PCHAR.test(m[1] as string)) &&
      !PCHAR.test(after[0] ?? ' ')
    ) {
      return true
    }
  }
  return false
}

interface Entry {
  id: string
  column: string
  /** Its id spec, or undefined for free text. */
  spec: IdMarkerSpec | undefined
}

/** Every bounded occurrence of `key` in `folded` (overlapping ones too). */
function occurrences(text: string, folded: string, key: string): Array<[number, number]> {
  const out: Array<[number, number]> = []
  for (let at = folded.indexOf(key); at !== -1; at = folded.indexOf(key, at + 1)) {
    if (!wordAt(text, at - 1, true) && !wordAt(text, at + key.length, false)) {
      out.push([at, at + key.length])
    }
  }
  return out
}

export function referenceScan(
  body: string | Uint8Array,
  identities: readonly Identity[],
  options: IndexOptions,
  scan: ReferenceOptions = {}
): ReferenceResult {
  const ci = options.caseInsensitive ?? false
  const minLength = options.minLength ?? 3
  const key = (s: string): string => (ci ? fold(s) : s)
  const text = referenceNormalize(body, scan.contentType)
  const folded = key(text)
  // Marker values by folded key, with every (identity, column) holding them.
  const holders = new Map<string, Entry[]>()
  const columns: Array<[string, IdMarkerSpec | undefined]> = [
    ...options.columns.map((c): [string, undefined] => [c, undefined]),
    ...(options.ids ?? []).map((s): [string, IdMarkerSpec] => [s.column, s]),
  ]
  for (const identity of identities) {
    for (const [column, spec] of columns) {
      const raw = identity.markers[column]
      for (const value of raw === undefined ? [] : typeof raw === 'string' ? [raw] : raw) {
        const marker = referenceMarker(value)
        if (marker === '' || (spec === undefined && marker.length < minLength)) {
          continue
        }
        const list = holders.get(key(marker)) ?? []
        list.push({ id: identity.id, column, spec })
        holders.set(key(marker), list)
      }
    }
  }
  const counts = (e: Entry, start: number, end: number): boolean =>
    e.spec === undefined || idContext(text, start, end, e.spec)
  // Candidates that count: bounded, and some holder counts there.
  let found: Array<{ start: number; end: number; entries: Entry[] }> = []
  for (const [k, entries] of holders) {
    for (const [start, end] of occurrences(text, folded, k)) {
      const live = entries.filter((e) => counts(e, start, end))
      if (live.length > 0) {
        found.push({ start, end, entries: live })
      }
    }
  }
  // Longest only: drop a match lying inside a longer one.
  found = found.filter(
    (m) =>
      !found.some((o) => o.start <= m.start && m.end <= o.end && o.end - o.start > m.end - m.start)
  )
  const spans = (scan.allowlist ?? []).flatMap((t) =>
    occurrences(text, folded, key(referenceMarker(t)))
  )
  found = found.filter((m) => !spans.some(([s, e]) => s <= m.start && m.end <= e))
  found.sort((a, b) => a.start - b.start || b.end - a.end)
  const matches = found.flatMap((m) =>
    m.entries.map((e) => ({ id: e.id, column: e.column, start: m.start, end: m.end }))
  )
  const ownSpans = new Set(
    matches.filter((m) => m.id === scan.owner).map((m) => `${m.start}:${m.end}`)
  )
  return {
    text,
    matches,
    ownerSeen: ownSpans.size > 0,
    foreign: matches.filter((m) => m.id !== scan.owner && !ownSpans.has(`${m.start}:${m.end}`)),
  }
}
