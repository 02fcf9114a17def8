// A finding as it may leave the run: every value the SecretBook knows is [redacted] in its URL,
// headers, evidence and detail. Applied once per finding, when it is reported.
import type { Finding } from '../detect/types.js'
import { markedSecretSpans, mergeSpans } from './marked-secrets.js'
import { REDACTED } from './secret-book.js'
import type { SecretBook, SecretSpan } from './secret-book.js'

/** Characters of context a report shows on each side of a match. */
export const EXCERPT_CHARS = 80
/**
 * The detector cuts its excerpt this much wider: a secret that starts outside the 80 characters
 * shown but reaches into them is then found whole (up to this length) and redacted, not cut in two.
 */
export const EXCERPT_SLACK = 1024

export function redactFinding(finding: Finding, book: SecretBook): Finding {
  const out: Finding = {
    ...finding,
    request: { ...finding.request, url: book.redact(finding.request.url) },
    headers: Object.fromEntries(
      Object.entries(finding.headers).map(([k, v]) => [k, book.redact(v)])
    ),
    foreign: finding.foreign.map((f) => ({ ...f, marker: book.redact(f.marker) })),
  }
  if (finding.excerpt !== undefined) {
    out.excerpt = redactExcerpt(finding.excerpt, book)
  }
  if (finding.detail !== undefined) {
    out.detail = book.redact(finding.detail)
  }
  return out
}

type Excerpt = NonNullable<Finding['excerpt']>

/**
 * Redacts the three parts as one text (a secret may span two): the values the book holds, and
 * those the page's markup marks as secrets (a CSRF token no VU ever held). Then cuts each side to
 * EXCERPT_CHARS.
 */
export function redactExcerpt(excerpt: Excerpt, book: SecretBook): Excerpt {
  const text = excerpt.before + excerpt.match + excerpt.after
  const b = excerpt.before.length
  const m = b + excerpt.match.length
  // A held value can only reach into the shown part from as far as it is long: look no further.
  const reach = EXCERPT_CHARS + Math.min(EXCERPT_SLACK, book.longest)
  const from = Math.max(0, b - reach)
  const held = book
    .spans(text.slice(from, m + reach))
    .map((s) => ({ start: s.start + from, end: s.end + from }))
  const spans = mergeSpans([...held, ...markedSecretSpans(text)])
  return {
    before: keepEnd(cover(text, 0, b, spans), EXCERPT_CHARS),
    match: cover(text, b, m, spans),
    after: keepStart(cover(text, m, text.length, spans), EXCERPT_CHARS),
  }
}

/** text[from, to) with the parts of `spans` inside it replaced by [redacted]. */
function cover(text: string, from: number, to: number, spans: readonly SecretSpan[]): string {
  let out = ''
  let at = from
  for (const s of spans) {
    const start = Math.max(s.start, from)
    const end = Math.min(s.end, to)
    if (start >= end) {
      continue
    }
    out += text.slice(at, start) + REDACTED
    at = end
  }
  return out + text.slice(at, to)
}

/** The last `n` characters, never splitting a surrogate pair or a [redacted] mark. */
function keepEnd(text: string, n: number): string {
  if (text.length <= n) {
    return text
  }
  let cut = text.length - n
  const mark = text.lastIndexOf(REDACTED, cut)
  if (mark >= 0 && mark + REDACTED.length > cut) {
    cut = mark
  }
  if (isLowSurrogate(text.charCodeAt(cut))) {
    cut++
  }
  return text.slice(cut)
}

/** The first `n` characters, never splitting a surrogate pair or a [redacted] mark. */
function keepStart(text: string, n: number): string {
  if (text.length <= n) {
    return text
  }
  let cut = n
  const mark = text.lastIndexOf(REDACTED, cut)
  if (mark >= 0 && mark < cut && mark + REDACTED.length > cut) {
    cut = mark + REDACTED.length
  }
  if (isLowSurrogate(text.charCodeAt(cut))) {
    cut--
  }
  return text.slice(0, cut)
}

function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff
}
