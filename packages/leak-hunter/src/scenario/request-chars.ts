// What may go into a request line or a header. A CR or LF there would start a new header or a
// second request (request splitting), so such scenarios are invalid before anything is sent.
import type { Account } from '../detect/types.js'
import { fail, join } from './fields.js'
import type { Template } from './template.js'
import type { RequestStep } from './types.js'

/** Characters a header value cannot carry: controls other than HTAB, and anything above U+00FF. */
const BAD_HEADER_CHAR = /[^\t\x20-\x7e\x80-\xff]/

/** Controls (C0, DEL, C1) and whitespace in a path literal; spaces must be written %20. */
// eslint-disable-next-line no-control-regex
const BAD_PATH_CHAR = /[\u0000-\u0020\u007f-\u009f]/

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

/** `\r`, `\n`, `\x00`... as a reader can see them in an error message. */
export function describeChar(c: string): string {
  const code = c.codePointAt(0) ?? 0
  const names: Record<number, string> = { 0x0d: 'CR', 0x0a: 'LF', 0x09: 'TAB', 0x20: 'a space' }
  return names[code] ?? `U+${code.toString(16).toUpperCase().padStart(4, '0')}`
}

/** Why `value` cannot be a header value, or undefined when it can. */
export function headerValueProblem(value: string): string | undefined {
  const bad = BAD_HEADER_CHAR.exec(value)
  return bad === null
    ? undefined
    : `contains ${describeChar(bad[0])}, which a header value cannot carry`
}

/** Refuses a path (or URL) whose literal text has a control or a space (request splitting). */
export function checkPathLiteral(path: string, at: string): void {
  const bad = BAD_PATH_CHAR.exec(path)
  if (bad !== null) {
    const hint = bad[0] === ' ' ? ' (write it as %20)' : ''
    fail(
      at,
      `contains ${describeChar(bad[0])} at offset ${bad.index}${hint}: a request line cannot carry it`
    )
  }
  if (LONE_SURROGATE.test(path)) {
    fail(at, 'contains a lone UTF-16 surrogate, which cannot be sent')
  }
}

/** Non-ASCII literal path text is sent UTF-8 percent-encoded, as a browser sends it. */
export function encodePathText(template: Template): Template {
  return {
    source: template.source,
    parts: template.parts.map((part) =>
      part.kind === 'text' && /[^\x21-\x7e]/.test(part.text)
        ? { kind: 'text', text: part.text.replace(/[^\x21-\x7e]+/gu, (s) => encodeURI(s)) }
        : part
    ),
  }
}

/** Refuses a header whose literal text holds a character a header value cannot carry. */
export function checkHeaderLiteral(template: Template, at: string): void {
  for (const part of template.parts) {
    const problem = part.kind === 'text' ? headerValueProblem(part.text) : undefined
    if (problem !== undefined) {
      fail(at, problem)
    }
  }
}

/**
 * Account values are known before the run: one that would put a CR, LF or other control into a
 * header is an invalid input now, not an error in the middle of the load.
 */
export function checkAccountHeaderValues(
  steps: ReadonlyArray<{ step: RequestStep; at: string }>,
  accounts: readonly Account[]
): void {
  for (const { step, at } of steps) {
    for (const header of step.headers) {
      for (const part of header.value.parts) {
        if (part.kind !== 'account') {
          continue
        }
        for (const account of accounts) {
          const problem = headerValueProblem(account.fields[part.column] ?? '')
          if (problem !== undefined) {
            fail(
              join(join(at, 'headers'), header.name),
              `account row ${account.index + 1} (${account.id}), column ${part.column}: ${problem}`
            )
          }
        }
      }
    }
  }
}
