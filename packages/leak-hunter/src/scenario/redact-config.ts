// The scenario as it goes into reports: secrets replaced by [redacted]. What a step sends as a
// literal (a form field, a JSON value, a header) is a secret whatever its name (`pwd: hunter2`,
// `x-pw: ...`); elsewhere values go by their field's name.

const SECRET_NAME = /pass|secret|token|auth|cookie|session|key|csrf|pwd|pin|sig/i
const REDACTED = '[redacted]'

/** Request headers whose literal values describe the request, not who sends it. */
export const PUBLIC_HEADERS = new Set([
  'accept',
  'accept-encoding',
  'accept-language',
  'cache-control',
  'content-type',
  'dnt',
  'origin',
  'pragma',
  'user-agent',
  'x-requested-with',
])

/** A template only names where a value comes from; it holds no secret itself. */
export function isPureTemplate(value: string): boolean {
  return /^(\s*(Bearer\s+|Basic\s+|Token\s+)?\{\{[^}]+\}\}\s*)+$/.test(value)
}

/** Deep copy of the scenario with secrets redacted; templates such as `{{x}}` are kept. */
export function redactConfig(value: unknown, credentialColumns: readonly string[]): unknown {
  return walk(value, credentialColumns, '', 'named')
}

/** named: values go by their key; literal: every value is sent as is; headers: a headers object. */
type Mode = 'named' | 'literal' | 'headers'

function walk(value: unknown, credentials: readonly string[], key: string, mode: Mode): unknown {
  if (Array.isArray(value)) {
    return value.map((v) => walk(v, credentials, key, mode))
  }
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [
        k,
        walk(v, credentials, k, childMode(mode, k)),
      ])
    )
  }
  if (typeof value !== 'string' || isPureTemplate(value)) {
    return value
  }
  if (mode !== 'named' || SECRET_NAME.test(key) || credentials.includes(key)) {
    return REDACTED
  }
  return key === 'path' ? redactQuery(value) : value
}

/** Under a step's form or json every value is sent as is; under headers all but public ones. */
function childMode(mode: Mode, key: string): Mode {
  switch (mode) {
    case 'literal':
      return 'literal'
    case 'headers':
      return PUBLIC_HEADERS.has(key.toLowerCase()) ? 'named' : 'literal'
    case 'named':
      return key === 'form' || key === 'json' ? 'literal' : key === 'headers' ? 'headers' : 'named'
  }
}

/** `?access_token=abc&page=2` keeps `page`: query values under secret-looking names go. */
export function redactQuery(path: string): string {
  return path.replace(/([?&])([^=&#]*)=([^&#]*)/g, (all, sep: string, name: string, v: string) =>
    SECRET_NAME.test(name) && !isPureTemplate(v) ? `${sep}${name}=${REDACTED}` : all
  )
}

/** Literal values under secret-looking query parameter names in a path. */
export function secretQueryValues(path: string): string[] {
  return [...path.matchAll(/[?&]([^=&#]*)=([^&#]*)/g)]
    .filter(([, name = '', value = '']) => SECRET_NAME.test(name) && !isPureTemplate(value))
    .map(([, , value = '']) => value)
}
