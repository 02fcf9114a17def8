// Shared assertions about a leak finding: it must point at a real, concurrent, other account.
import { expect } from 'vitest'
import type { Finding } from '@crosstalk/leak-hunter'

/**
 * A foreign-identity leak names the right owner and the right foreign user when every foreign
 * marker belongs to one other account, that account's display name is among them, and that
 * account's virtual user had a request in flight at the moment (the likely source). Given the
 * accounts, every matched marker is checked against them.
 */
export function expectWellAttributed(
  finding: Finding,
  accounts?: ReadonlyMap<string, Readonly<Record<string, string>>>
): void {
  expect(finding.kind).toBe('foreign-identity')
  expect(finding.severity).toBe('leak')
  const foreignIds = new Set(finding.foreign.map((f) => f.id))
  expect(foreignIds.size).toBe(1)
  const [foreign] = foreignIds
  expect(foreign).not.toBe(finding.owner.id)
  expect(finding.foreign.map((f) => f.column)).toContain('displayName')
  // Each matched marker really is that account's value in that column.
  for (const f of accounts === undefined ? [] : finding.foreign) {
    expect(accounts?.get(f.id)?.[f.column]).toBe(f.marker)
  }
  const source = finding.concurrent.find((c) => c.account === foreign)
  expect(source?.likelySource).toBe(true)
  expect(finding.request.method).toBe('GET')
  expect(finding.request.status).toBe(200)
  expect(finding.excerpt?.match.length).toBeGreaterThan(0)
}
