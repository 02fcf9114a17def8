// The scenario as it goes into reports: values that look like secrets are replaced.

const SECRET_NAME = /pass|secret|token|auth|cookie|session|key|csrf/i
const REDACTED = '[redacted]'

/** Deep copy of `value` with secret-looking fields redacted; templates such as `{{x}}` are kept. */
export function redactConfig(
  value: unknown,
  credentialColumns: readonly string[],
  key = ''
): unknown {
  if (Array.isArray(value)) {
    return value.map((v) => redactConfig(v, credentialColumns, key))
  }
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [
        k,
        redactConfig(v, credentialColumns, k),
      ])
    )
  }
  if (typeof value === 'string' && SECRET_NAME.test(key) && !isPureTemplate(value)) {
    return REDACTED
  }
  if (typeof value === 'string' && credentialColumns.includes(key) && !isPureTemplate(value)) {
    return REDACTED
  }
  return value
}

// A template only names where a secret comes from; it holds no secret itself.
function isPureTemplate(value: string): boolean {
  return /^(\s*(Bearer\s+)?\{\{[^}]+\}\}\s*)+$/.test(value)
}
