// The secrets a scenario names before anything is sent: credential values of every account, the
// literal values its steps send (a form field, a JSON value, a non-public header) and the values
// of the environment variables it reads.
import type { JsonTemplate, RequestStep, Scenario } from '../scenario/types.js'
import type { Template } from '../scenario/template.js'
import { PUBLIC_HEADERS, secretQueryValues } from '../scenario/redact-config.js'
import { SecretBook } from './secret-book.js'

/**
 * Credential columns, less the id column: that one names accounts in every report (the example
 * names them by username), so it is shown even when it is also a credential.
 */
export function secretColumns(scenario: Scenario): Set<string> {
  const { credentials, idColumn } = scenario.accountsConfig
  return new Set(credentials.filter((c) => c !== idColumn))
}

/** A template without placeholders: its text, sent as written. */
function literal(template: Template): string | undefined {
  return template.parts.every((p) => p.kind === 'text') ? template.source : undefined
}

function jsonLiterals(value: JsonTemplate, out: string[]): void {
  switch (value.t) {
    case 'string': {
      const text = literal(value.value)
      if (text !== undefined) {
        out.push(text)
      }
      return
    }
    case 'literal':
      return
    case 'array':
      value.items.forEach((item) => jsonLiterals(item, out))
      return
    case 'object':
      value.entries.forEach(([, v]) => jsonLiterals(v, out))
      return
  }
}

/** The literal values a step sends that may be secrets. */
export function literalSecrets(step: RequestStep): string[] {
  const out: string[] = []
  if (step.body.kind === 'form') {
    for (const field of step.body.fields) {
      const text = literal(field.value)
      if (text !== undefined) {
        out.push(text)
      }
    }
  } else if (step.body.kind === 'json') {
    jsonLiterals(step.body.value, out)
  }
  for (const header of step.headers) {
    const text = PUBLIC_HEADERS.has(header.name) ? undefined : literal(header.value)
    if (text !== undefined) {
      out.push(text)
    }
  }
  for (const part of step.path.parts) {
    if (part.kind === 'text') {
      out.push(...secretQueryValues(part.text))
    }
  }
  return out
}

/** A book holding the scenario's own secrets; VUs add and remove theirs as the run goes. */
export function scenarioSecretBook(scenario: Scenario): SecretBook {
  const book = new SecretBook(scenario.markers.caseInsensitive)
  const columns = [...secretColumns(scenario)]
  for (const account of scenario.accounts) {
    for (const column of columns) {
      book.hold(account.fields[column] ?? '')
    }
  }
  for (const step of [...scenario.login, ...scenario.pages]) {
    for (const value of literalSecrets(step)) {
      book.hold(value)
    }
  }
  for (const value of scenario.envSecrets ?? []) {
    book.hold(value)
  }
  return book
}
