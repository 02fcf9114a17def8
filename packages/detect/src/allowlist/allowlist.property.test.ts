// An allowlist never hides a marker that does not lie wholly inside an allowlisted span.
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { createDetector } from '../detector.js'
import { buildMarkerIndex } from '../marker-index.js'
import { normalizeBody } from '../normalize.js'
import type { Account, MarkerIndex, ResponseSample } from '../types.js'
import { Allowlist } from './allowlist.js'

// Names from a small alphabet, so that names inside names ("Ab Ca" in "Ab Cab") are common.
const word = fc.stringMatching(/^[A-C][a-c]{1,2}$/)
const accountsArb = fc
  .uniqueArray(fc.array(word, { minLength: 1, maxLength: 3 }), {
    minLength: 2,
    maxLength: 10,
    selector: (words) => words.join(' '),
  })
  .map((list) =>
    list.map((words, i): Account => ({ index: i, id: `u${i}`, fields: { name: words.join(' ') } }))
  )
const glue = fc.constantFrom(' ', ', ', '<p>', '</p>', ': ', '&amp;', '\n', 'x', '')

const WORD = /[\p{L}\p{N}\p{M}]/u

/** Every occurrence of `needle` in `text` with no letter, digit or mark on either side. */
function boundedOccurrences(text: string, needle: string): Array<[number, number]> {
  const out: Array<[number, number]> = []
  for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + 1)) {
    const end = at + needle.length
    if (!WORD.test(text[at - 1] ?? '') && !WORD.test(text[end] ?? '')) {
      out.push([at, end])
    }
  }
  return out
}

function sample(owner: number, body: string, allowlist: Allowlist): ResponseSample {
  return {
    vu: 1,
    owner,
    page: 'p',
    method: 'GET',
    url: 'http://127.0.0.1/',
    status: 200,
    headers: { 'content-type': 'text/html', 'cache-control': 'no-store' },
    body,
    time: 0,
    expectOwnMarker: false,
    allowlist,
    concurrent: [],
    setCookies: [],
  }
}

/** The accounts plus an owner whose name never appears, so that every hit is foreign. */
function withOwner(accounts: Account[]): { owner: number; all: Account[]; index: MarkerIndex } {
  const owner = accounts.length
  const all = [...accounts, { index: owner, id: 'owner', fields: { name: 'Zzz Qqq' } }]
  const index = buildMarkerIndex(all, { columns: ['name'], caseInsensitive: false, minLength: 2 })
  return { owner, all, index }
}

/** The foreign account ids the owner's response `body` reports under `allowlist`, sorted. */
function reported(
  setup: ReturnType<typeof withOwner>,
  body: string,
  allowlist: Allowlist
): string[] {
  const findings = createDetector(setup.index, setup.all).inspect(
    sample(setup.owner, body, allowlist)
  )
  const ids = findings
    .filter((f) => f.kind === 'foreign-identity')
    .flatMap((f) => f.foreign.map((a) => a.id))
  return [...new Set(ids)].sort()
}

describe('allowlist properties', () => {
  test('text rules: exactly the foreign markers not wholly inside an allowlisted span are reported', () => {
    fc.assert(
      fc.property(
        accountsArb,
        fc.array(fc.tuple(glue, fc.nat(), fc.nat({ max: 3 })), { minLength: 1, maxLength: 14 }),
        fc.array(fc.tuple(fc.nat(), fc.nat(), fc.nat()), { minLength: 1, maxLength: 3 }),
        (accounts, parts, picks) => {
          const setup = withOwner(accounts)
          // A body of names, names cut short ("Ab C" of "Ab Ca") and glue.
          const body = parts
            .map(([g, n, cut]) => {
              const name = (accounts[n % accounts.length] as Account).fields.name as string
              return g + name.slice(0, Math.max(1, name.length - cut))
            })
            .join('')
          const text = normalizeBody(body)
          // Allowlist entries: pieces of the body's text, so that they often land on and across names.
          const entries = picks
            .map(([a, len, _]) =>
              text.slice(a % text.length, (a % text.length) + 1 + (len % 12)).trim()
            )
            .filter((e) => e !== '' && e.replace(/\s/g, '') !== '')
          fc.pre(entries.length > 0)
          const spans = entries.flatMap((e) => boundedOccurrences(text, e))
          const expected = new Set(
            setup.index
              .scan(text)
              .filter((h) => !spans.some(([s, e]) => s <= h.start && h.end <= e))
              .map((h) => `u${h.account}`)
          )
          const allowlist = new Allowlist(
            entries.map((t) => ({ text: t })),
            { caseInsensitive: false }
          )
          expect(reported(setup, body, allowlist)).toEqual([...expected].sort())
        }
      ),
      { numRuns: Number(process.env.FC_RUNS ?? 300) }
    )
  })

  test('selector rules: names outside every allowlisted element are reported, names inside are not', () => {
    // The oracle is the construction: each piece says whether it sits inside an <aside class=team>.
    const piece = fc.record({
      inside: fc.boolean(),
      wrap: fc.constantFrom(
        '%',
        '<li>%</li>',
        '<b>%</b>',
        '\n  %\n',
        '<p>%',
        '<span title="%">x</span>'
      ),
      encode: fc.boolean(),
    })
    fc.assert(
      fc.property(
        accountsArb,
        fc.array(fc.tuple(piece, fc.nat()), { minLength: 1, maxLength: 12 }),
        fc.constantFrom('', '&lt;aside class="team"&gt;', '<!-- <aside class="team"> -->'),
        (accounts, pieces, decoy) => {
          const setup = withOwner(accounts)
          const outside = new Set<string>()
          const html = pieces
            .map(([p, n]) => {
              const account = accounts[n % accounts.length] as Account
              const name = account.fields.name as string
              if (!p.inside) {
                outside.add(account.id)
              }
              const shown = p.encode ? name.replace(/ /g, '&#32;') : name
              const element = p.wrap.replace('%', shown)
              return p.inside
                ? `<aside class="team"><ul>${element}</ul></aside>`
                : ` ${decoy}<div>${element}</div> `
            })
            .join('')
          const allowlist = new Allowlist([{ selector: 'aside.team' }], { caseInsensitive: false })
          // Whole names only, each wrapped in tags: no name is found across pieces, so the
          // accounts reported are exactly those with a piece outside.
          expect(reported(setup, html, allowlist)).toEqual([...outside].sort())
        }
      ),
      { numRuns: Number(process.env.FC_RUNS ?? 300) }
    )
  })
})
