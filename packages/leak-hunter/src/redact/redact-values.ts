// Redaction of report parts that are plain strings: the configuration, step failure messages.

/** Every string in `value`, redacted by `redact`. */
export function redactValues(value: unknown, redact: (text: string) => string): unknown {
  if (typeof value === 'string') {
    return redact(value)
  }
  if (Array.isArray(value)) {
    return value.map((v) => redactValues(v, redact))
  }
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, redactValues(v, redact)])
    )
  }
  return value
}

/** A step summary with its messages redacted by value. */
export function redactStep<T extends { messages: Array<{ message: string; count: number }> }>(
  step: T,
  redact: (text: string) => string
): T {
  return { ...step, messages: step.messages.map((m) => ({ ...m, message: redact(m.message) })) }
}
