// An allowlist never hides a marker that does not lie wholly inside an allowlisted span.
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { buildIndex } from '../index/build-index.js'
import { normalizeText } from '../pass/normalize.js'
import { scan } from '../scan/scan.js'
import type { Identity, MarkerIndex } from '../types.js'
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
    list.map((words, i): Identity => ({ id: `u${i}`, markers: { name: words.join(' ') } }))
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

/** The identities plus an owner whose name never appears, so that every match is foreign. */
function withOwner(identities: Identity[]): MarkerIndex {
  const all = [...identities, { id: 'owner', markers: { name: 'Zzz Qqq' } }]
  return buildIndex(all, { columns: ['name'], minLength: 2 })
}

/** The foreign identity ids the owner's response `body` shows under `allowlist`, sorted. */
function reported(index: MarkerIndex, body: string, allowlist: Allowlist): string[] {
  const result = scan(body, { index, owner: 'owner', allowlist, contentType: 'text/html' })
  return result.foreignIdentities.map((i) => i.id).sort()
}

describe('allowlist properties', () => {
  test('text rules: exactly the foreign markers not wholly inside an allowlisted span are reported', () => {
    fc.assert(
      fc.property(
        accountsArb,
        fc.array(fc.tuple(glue, fc.nat(), fc.nat({ max: 3 })), { minLength: 1, maxLength: 14 }),
        fc.array(fc.tuple(fc.nat(), fc.nat(), fc.nat()), { minLength: 1, maxLength: 3 }),
        (accounts, parts, picks) => {
          const index = withOwner(accounts)
          // A body of names, names cut short ("Ab C" of "Ab Ca") and glue.
          const body = parts
            .map(([g, n, cut]) => {
              const name = (accounts[n % accounts.length] as Identity).markers.name as string
              return g + name.slice(0, Math.max(1, name.length - cut))
            })
            .join('')
          const text = normalizeText(body)
          // Allowlist entries: pieces of the body's text, so that they often land on and across names.
          const entries = picks
            .map(([a, len, _]) =>
              text.slice(a % text.length, (a % text.length) + 1 + (len % 12)).trim()
            )
            .filter((e) => e !== '' && e.replace(/\s/g, '') !== '')
          fc.pre(entries.length > 0)
          const spans = entries.flatMap((e) => boundedOccurrences(text, e))
          const expected = new Set(
            scan(body, { index })
              .matches.filter((h) => !spans.some(([s, e]) => s <= h.start && h.end <= e))
              .map((h) => h.identity.id)
          )
          const allowlist = new Allowlist(
            entries.map((t) => ({ text: t })),
            { caseInsensitive: false }
          )
          expect(reported(index, body, allowlist)).toEqual([...expected].sort())
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
          const index = withOwner(accounts)
          const outside = new Set<string>()
          const html = pieces
            .map(([p, n]) => {
              const account = accounts[n % accounts.length] as Identity
              const name = account.markers.name as string
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
          expect(reported(index, html, allowlist)).toEqual([...outside].sort())
        }
      ),
      { numRuns: Number(process.env.FC_RUNS ?? 300) }
    )
  })
})
