// Secrets a page marks as such, which no VU ever held: the CSRF token in another user's leaked
// page (`<meta name="csrf-token" content="...">`), a hidden input's value, a CSP nonce, a JSON
// value under a secret-looking key. Found by their markup in an excerpt's text, not by value.
import type { SecretSpan } from './secret-book.js'

const SECRET_NAME = /csrf|xsrf|token|nonce|secret|session|passw|auth|api[-_]?key/i

/** A tag's attributes: name="value" or name='value' (normalised text: entities are decoded). */
const ATTRIBUTE = /([\w:-]+)\s*=\s*("([^"]*)"|'([^']*)')/g
const TAG = /<(meta|input)\b[^<>]*>?/gi
const NONCE = /\bnonce\s*=\s*("([^"]*)"|'([^']*)')/gi
/** "key": "value" in JSON state or an API body; the key's name decides. */
const JSON_PAIR = /"([^"\\]{1,64})"\s*:\s*"((?:[^"\\]|\\.)*)"/g

/** Where the value of `match` (its group 3 or 4, the quoted content) lies in the text. */
function valueSpan(m: RegExpExecArray, base: number, group = 3): SecretSpan | undefined {
  const value = m[group] ?? m[group + 1]
  if (value === undefined || value === '') {
    return undefined
  }
  const start = base + m[0].lastIndexOf(value)
  return { start, end: start + value.length }
}

/** Spans of the secrets `text`'s markup marks, in no particular order. */
export function markedSecretSpans(text: string): SecretSpan[] {
  const out: SecretSpan[] = []
  for (const tag of text.matchAll(TAG)) {
    const attributes = [...tag[0].matchAll(ATTRIBUTE)]
    const named = attributes.some(
      ([, name = '', , a = '', b = '']) =>
        /^(name|id|property|http-equiv)$/i.test(name) && SECRET_NAME.test(a + b)
    )
    if (!named) {
      continue
    }
    for (const attr of attributes) {
      if (/^(value|content)$/i.test(attr[1] ?? '')) {
        const span = valueSpan(attr, tag.index + attr.index)
        if (span !== undefined) {
          out.push(span)
        }
      }
    }
  }
  for (const m of text.matchAll(NONCE)) {
    const span = valueSpan(m, m.index, 2)
    if (span !== undefined) {
      out.push(span)
    }
  }
  for (const m of text.matchAll(JSON_PAIR)) {
    if (SECRET_NAME.test(m[1] ?? '') && (m[2] ?? '') !== '') {
      const start = m.index + m[0].length - 1 - m[2]!.length
      out.push({ start, end: start + m[2]!.length })
    }
  }
  return out
}

/** Sorted and merged: overlapping or touching spans become one. */
export function mergeSpans(spans: readonly SecretSpan[]): SecretSpan[] {
  const sorted = [...spans].sort((a, b) => a.start - b.start)
  const out: SecretSpan[] = []
  for (const s of sorted) {
    const last = out.at(-1)
    if (last !== undefined && s.start <= last.end) {
      last.end = Math.max(last.end, s.end)
    } else {
      out.push({ ...s })
    }
  }
  return out
}
