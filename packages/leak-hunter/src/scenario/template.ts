// `{{var}}` and `{{account.column}}` templates, compiled once at validation so unknown names fail early.
import { TemplateError } from '../errors.js'
import { headerValueProblem } from './request-chars.js'

export type TemplatePart =
  | { kind: 'text'; text: string }
  | { kind: 'var'; name: string }
  | { kind: 'account'; column: string }

export interface Template {
  source: string
  parts: TemplatePart[]
}

/** Values a template may read while a request is built. */
export interface TemplateScope {
  account: Readonly<Record<string, string>>
  vars: ReadonlyMap<string, string>
}

/** Per-context encoding of substituted values; literal text in the template is kept as written. */
export type Encoder = (value: string) => string

export const rawEncoder: Encoder = (value) => value
/** For paths and query strings: a value can never add a `/`, `?`, `&` or `#` of its own. */
export const urlEncoder: Encoder = (value) => encodeURIComponent(value)
/**
 * Header values cannot carry CR/LF or other controls: that would be header injection, not a
 * value. The message never shows the value (it may be a secret).
 */
export const headerEncoder: Encoder = (value) => {
  const problem = headerValueProblem(value)
  if (problem !== undefined) {
    throw new TemplateError(`a substituted header value ${problem}`)
  }
  return value
}

const NAME = /^[A-Za-z_][\w-]*$/

/**
 * Parse a template. Throws a plain message (the caller prefixes the field path) when a
 * placeholder is malformed.
 */
export function parseTemplate(source: string): Template | string {
  const parts: TemplatePart[] = []
  let at = 0
  while (at < source.length) {
    const open = source.indexOf('{{', at)
    if (open < 0) {
      parts.push({ kind: 'text', text: source.slice(at) })
      break
    }
    if (open > at) {
      parts.push({ kind: 'text', text: source.slice(at, open) })
    }
    const close = source.indexOf('}}', open + 2)
    if (close < 0) {
      return `unclosed "{{" at offset ${open}`
    }
    const inner = source.slice(open + 2, close).trim()
    if (inner.startsWith('account.')) {
      const column = inner.slice('account.'.length)
      if (column === '') {
        return `"{{${inner}}}" names no account column`
      }
      parts.push({ kind: 'account', column })
    } else if (NAME.test(inner)) {
      parts.push({ kind: 'var', name: inner })
    } else {
      return `"{{${inner}}}" is not a variable name or account.<column>`
    }
    at = close + 2
  }
  return { source, parts }
}

export function renderTemplate(template: Template, scope: TemplateScope, encode: Encoder): string {
  let out = ''
  for (const part of template.parts) {
    switch (part.kind) {
      case 'text':
        out += part.text
        break
      case 'account': {
        const value = scope.account[part.column]
        if (value === undefined) {
          throw new TemplateError(
            `"${template.source}": the account has no column "${part.column}"`
          )
        }
        out += encode(value)
        break
      }
      case 'var': {
        const value = scope.vars.get(part.name)
        if (value === undefined) {
          throw new TemplateError(`"${template.source}": variable "${part.name}" has no value`)
        }
        out += encode(value)
        break
      }
    }
  }
  return out
}

/** The names a template reads, for validation against the columns and earlier extractions. */
export function templateRefs(template: Template): TemplatePart[] {
  return template.parts.filter((p) => p.kind !== 'text')
}
