import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { HYDRATION_DATA_ID } from '../components/dom-ids.js'
import type { HomePageData } from '../render-contract/types.js'
import { renderHomeDocument } from './render-home-document.js'

const assets = { script: '/assets/hydrate-TEST.js', style: null }

// Strings biased towards the characters that break out of HTML, scripts and JS parsers.
const hostile = fc.string({
  unit: fc.constantFrom(
    '<',
    '>',
    '&',
    '"',
    "'",
    '/',
    '!',
    '-',
    's',
    'c',
    'r',
    'i',
    'p',
    't',
    '\u2028',
    '\u2029',
    ' ',
    'é',
    '\\',
    'a'
  ),
  maxLength: 40,
})

const data: fc.Arbitrary<HomePageData> = fc.record({
  userId: fc.integer({ min: 1, max: 1_000_000 }),
  username: hostile,
  displayName: hostile,
  email: hostile,
  accountId: hostile,
  lastLoginAt: fc.constant(null),
  items: fc.array(fc.record({ id: fc.integer({ min: 1, max: 1e6 }), title: hostile }), {
    maxLength: 3,
  }),
  csrfToken: hostile,
})

describe('renderHomeDocument with any user data', () => {
  test('exactly our two scripts, and the hydration JSON parses back to the data', () => {
    fc.assert(
      fc.property(data, hostile, (d, nonce) => {
        const { html, renderedFor } = renderHomeDocument({ view: 'home', data: d, nonce }, assets)
        expect(renderedFor).toBe(d.userId)
        expect(html.match(/<script/gi)).toHaveLength(2)
        const start = html.indexOf(`id="${HYDRATION_DATA_ID}"`)
        const open = html.indexOf('>', start) + 1
        const json = html.slice(open, html.indexOf('</script>', open))
        expect(json).not.toMatch(/[<>&\u2028\u2029]/)
        expect(JSON.parse(json)).toEqual(d)
      }),
      { numRuns: 300 }
    )
  })
})
