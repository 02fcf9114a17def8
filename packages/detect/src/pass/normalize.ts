// The normalisation as strings, for markers, allowlist entries, tests and tooling. The scan runs
// the same pass (normalize-pass.ts) into its own buffers instead.
import { UnitBuffer } from '../text/unit-buffer.js'
import { Pass, normalizeInto } from './normalize-pass.js'

/**
 * The text a reader would see in `body`, so that markers match however the server encoded them:
 * HTML character references (named, decimal, hex), JSON string escapes, React's empty comments
 * between text nodes, invisible characters dropped, typographic apostrophes and dashes as ASCII,
 * whitespace runs (incl. &nbsp;) as one space, then Unicode NFC. Applied to every text content
 * type: HTML embeds JSON state, JSON embeds HTML snippets. Binary types yield ''. Bytes are read
 * as UTF-8; a string is taken as its UTF-8 encoding.
 */
export function normalizeText(body: string | Uint8Array, contentType?: string): string {
  if (contentType !== undefined && isBinaryContentType(contentType)) {
    return ''
  }
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body
  const buffer = new UnitBuffer(bytes.length)
  normalizeInto(bytes, buffer, new Pass(), { decode: true })
  return buffer.toString()
}

/** Buffers a caller reuses across many normalizeMarker() calls (an index build). */
export class MarkerScratch {
  readonly buffer = new UnitBuffer(256)
  readonly pass = new Pass()
}

/** Normalises a marker or allowlist entry the way bodies are, minus escape decoding, trimmed. */
export function normalizeMarker(value: string, scratch = new MarkerScratch()): string {
  normalizeInto(Buffer.from(value, 'utf8'), scratch.buffer, scratch.pass, { decode: false })
  return scratch.buffer.toString().trim()
}

/** Media types with no text to scan; `image/` but for SVG. */
const BINARY_TYPES = [
  'image/',
  'audio/',
  'video/',
  'font/',
  'application/octet-stream',
  'application/zip',
  'application/pdf',
]

/**
 * Whether a Content-Type names bytes that hold no text to scan (images but SVG, audio, ...).
 * Compared in place, any case, without building a string: every scan asks.
 */
export function isBinaryContentType(contentType: string): boolean {
  let at = 0
  while (at < contentType.length && contentType.charCodeAt(at) <= 0x20) {
    at++
  }
  for (const type of BINARY_TYPES) {
    if (startsAt(contentType, at, type)) {
      return type !== 'image/' || !startsAt(contentType, at, 'image/svg')
    }
  }
  return false
}

/** Whether `text` holds `prefix` (lower case letters, `/` and `-`) at `at`, ignoring ASCII case. */
function startsAt(text: string, at: number, prefix: string): boolean {
  if (text.length - at < prefix.length) {
    return false
  }
  for (let i = 0; i < prefix.length; i++) {
    if ((text.charCodeAt(at + i) | 0x20) !== prefix.charCodeAt(i)) {
      return false
    }
  }
  return true
}
