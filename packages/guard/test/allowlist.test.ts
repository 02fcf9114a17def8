// Allowlists on a real server: what may name another active user (a team panel, a JSON "manager"
// member, a fixed text) passes; the same name anywhere else is still stopped. Rules are checked
// at createGuard(), with the field that is wrong.
import type { IncomingMessage, ServerResponse } from 'node:http'
import { afterEach, describe, expect, test } from 'vitest'
import type { AllowlistRule } from '../src/index.js'
import { get } from './helpers/http-client.js'
import { closeGuards, JOHN, makeGuard, MARY } from './helpers/make-guard.js'
import { closeAll, listen } from './helpers/servers.js'

afterEach(async () => {
  await closeAll()
  closeGuards()
})

/** Serves `body` as `type` for MARY (JOHN is active too) under a guard with `allowlist`. */
async function statusOf(allowlist: AllowlistRule[], type: string, body: string): Promise<number> {
  const guard = makeGuard({ allowlist })
  guard.activate(JOHN)
  const url = await listen((req: IncomingMessage, res: ServerResponse) => {
    guard.protect(req, res, { identify: () => MARY })
    res.setHeader('content-type', type)
    res.end(body)
  })
  return (await get(url)).status
}

const TEAM =
  '<h1>Welcome, Mary Major</h1><aside class="team"><p>Your manager: John Jones</p></aside>'

describe('allowlist', () => {
  test('selector: a name inside the allowlisted element passes; outside it, it is blocked', async () => {
    expect(await statusOf([{ selector: 'aside.team' }], 'text/html', TEAM)).toBe(200)
    expect(
      await statusOf([{ selector: 'aside.team' }], 'text/html', `${TEAM}<p>John Jones</p>`)
    ).toBe(500)
    expect(await statusOf([], 'text/html', TEAM)).toBe(500)
  })

  test('JSON path: a name in the allowlisted member passes; in another member, it is blocked', async () => {
    const json = (other: string): string =>
      JSON.stringify({
        userId: 101,
        displayName: 'Mary Major',
        manager: { name: 'John Jones' },
        ...JSON.parse(other),
      })
    const rules = [{ json: 'manager.name' }]
    expect(await statusOf(rules, 'application/json', json('{}'))).toBe(200)
    expect(await statusOf(rules, 'application/json', json('{"peer":"John Jones"}'))).toBe(500)
    // An id marker too: "userId": 102 outside the allowlisted path is John's.
    expect(await statusOf(rules, 'application/json', json('{"friend":{"userId":102}}'))).toBe(500)
  })

  test('text: the allowlisted value passes, a longer value holding it does not hide a marker', async () => {
    const rules = [{ text: 'John Jones' }]
    expect(await statusOf(rules, 'text/html', '<p>Mary Major</p><p>Signed: John Jones</p>')).toBe(
      200
    )
    // The allowlist covers the name, not John's email next to it.
    expect(
      await statusOf(rules, 'text/html', '<p>Mary Major</p><p>John Jones, john@example.test</p>')
    ).toBe(500)
  })

  test('a bad rule fails createGuard() with GUARD_ERR_BAD_OPTION naming the rule', () => {
    expect(() => makeGuard({ allowlist: [{ selector: 'aside[' }] })).toThrow(
      expect.objectContaining({
        code: 'GUARD_ERR_BAD_OPTION',
        message: expect.stringMatching(/allowlist\[0\]\.selector/),
      })
    )
    expect(() => makeGuard({ allowlist: [{ json: '$' }] })).toThrow(
      expect.objectContaining({
        code: 'GUARD_ERR_BAD_OPTION',
        message: expect.stringMatching(/allowlist\[0\]\.json/),
      })
    )
  })
})
