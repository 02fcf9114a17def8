import { describe, expect, test } from 'vitest'
import { buildIndex } from '../index/build-index.js'
import { scan } from '../scan/scan.js'
import { Allowlist, allowlistRuleProblem } from './allowlist.js'
import type { AllowlistRule } from './allowlist.js'

const index = buildIndex(
  [
    { id: 'mary', markers: { name: 'Mary Smith' } },
    { id: 'bob', markers: { name: 'Bob Jones' } },
    { id: 'ann', markers: { name: 'Ann Lee' } },
    { id: 'annl', markers: { name: 'Ann Leeds' } },
    { id: 'pat', markers: { name: "Pat O'Brien" } },
  ],
  { columns: ['name'] }
)

/** The identities other than the owner (Mary) the body shows under `rules`. */
function foreign(body: string, rules: AllowlistRule[], contentType = 'text/html'): string[] {
  const allowlist = new Allowlist(rules)
  return scan(body, { index, owner: 'mary', allowlist, contentType }).foreignIdentities.map(
    (i) => i.id
  )
}

describe('text rules', () => {
  test('an allowlisted name hides that name', () => {
    expect(foreign('Hi Mary Smith. Team: Ann Lee', [{ text: 'Ann Lee' }])).toEqual([])
  })

  test('allowlist masking respects name boundaries: "Ann Lee" allowlisted does not hide "Ann Leeds"', () => {
    expect(foreign('Hi Mary Smith. Leak: Ann Leeds', [{ text: 'Ann Lee' }])).toEqual(['annl'])
  })

  test('a text rule found inside a longer word covers nothing', () => {
    // "Team: Ann Lee" stands in "Team: Ann Leeds" only as a prefix of a word: no span at all.
    expect(foreign('Team: Ann Leeds', [{ text: 'Team: Ann Lee' }])).toEqual(['annl'])
  })

  test('a marker that only overlaps an allowlisted span is still reported', () => {
    expect(foreign('Bob Jones', [{ text: 'Bob' }])).toEqual(['bob'])
    expect(foreign('x Ann Lee Bob Jones', [{ text: 'Lee Bob' }])).toEqual(['ann', 'bob'])
  })

  test('the same name outside the span is still a leak', () => {
    expect(
      foreign('<aside>Team: Bob Jones</aside> Bob Jones', [{ text: 'Team: Bob Jones' }])
    ).toEqual(['bob'])
  })

  test('entries are normalised like markers; the text is compared after entity decoding', () => {
    expect(
      foreign('Team:&nbsp; Pat O&#39;Brien', [
        { text: 'team:  Pat O’Brien'.replace('team', 'Team') },
      ])
    ).toEqual([])
  })
})

describe('selector rules', () => {
  const team = { selector: 'aside#team' }

  test("an element's content is allowlisted, names elsewhere are not", () => {
    const body =
      '<h1>Mary Smith</h1><aside id="team"><h2>Team</h2><ul><li>Ann Lee</li><li>Bob Jones</li></ul></aside><p>Ann Leeds</p>'
    expect(foreign(body, [team])).toEqual(['annl'])
  })

  test('entities and whitespace inside the element are mapped onto the normalised text', () => {
    const body = `<p>Mary</p>\n<aside id="team">\n  <li>Pat O&#39;Brien</li>\n  <li>Bob&nbsp;Jones</li>\n</aside>\n<p>Ann Lee</p>`
    expect(foreign(body, [team])).toEqual(['ann'])
  })

  test('an element closed implicitly ends where the closing tag starts', () => {
    const body = '<ul><li class="staff">Ann Lee<li>Bob Jones</ul>'
    expect(foreign(body, [{ selector: 'li.staff' }])).toEqual(['bob'])
  })

  test('an unclosed element runs to the end of its parent, as in a browser', () => {
    const body = '<div><aside id="team">Ann Lee</div><p>Bob Jones</p>'
    expect(foreign(body, [team])).toEqual(['bob'])
  })

  test('markup spelled out as text (entity-encoded) is no element', () => {
    const body = '<p>&lt;aside id="team"&gt;Bob Jones&lt;/aside&gt;</p>'
    expect(foreign(body, [team])).toEqual(['bob'])
  })

  test('tags inside script and comments are no elements', () => {
    expect(foreign('<script>x="<aside id=team>"</script>Bob Jones', [team])).toEqual(['bob'])
    expect(foreign('<!-- <aside id="team"> -->Bob Jones', [team])).toEqual(['bob'])
  })

  test('combinators, attributes and several rules', () => {
    const body =
      '<section class="recent"><ul><li>Ann Lee</li></ul></section><div data-public><b>Bob Jones</b></div><ul><li>Ann Leeds</li></ul>'
    expect(
      foreign(body, [{ selector: 'section.recent li' }, { selector: '[data-public] > b' }])
    ).toEqual(['annl'])
  })

  test('an element whose cut cannot be mapped gives no span (reported, never hidden)', () => {
    // U+0338 after ">" composes with it under NFC ("≯"): the cut is no longer where it was.
    expect(foreign('<aside id="team">Bob Jones</aside>\u0338', [team])).toEqual(['bob'])
  })
})

describe('JSON path rules', () => {
  const json = 'application/json'
  const body = JSON.stringify({
    me: { name: 'Mary Smith' },
    team: [{ name: 'Ann Lee', role: 'support' }, { name: 'Bob Jones' }],
    lastEditor: 'Ann Leeds',
  })

  test('the values a path names are allowlisted, the rest is not', () => {
    expect(foreign(body, [{ json: 'team[*].name' }], json)).toEqual(['annl'])
    expect(foreign(body, [{ json: 'team' }], json)).toEqual(['annl'])
    expect(foreign(body, [{ json: '$.team[1]' }], json)).toEqual(['ann', 'annl'])
    expect(foreign(body, [{ json: 'lastEditor' }, { json: 'team.*.name' }], json)).toEqual([])
  })

  test('escaped strings are mapped onto the decoded text', () => {
    const escaped = '{"team":["Pat O\\u0027Brien","Bob\\u0020Jones"],"x":"Ann Lee"}'
    expect(foreign(escaped, [{ json: 'team' }], json)).toEqual(['ann'])
  })

  test('a body cut short keeps the spans of the values completed before the cut', () => {
    const cut = '{"team":["Ann Lee"],"other":"Bob Jones", "more": ['
    expect(foreign(cut, [{ json: 'team' }], json)).toEqual(['bob'])
  })

  test('a path that names a key, not its value, in another object covers nothing', () => {
    expect(foreign('{"a":{"team":"Ann Lee"},"team":"x"}', [{ json: 'team' }], json)).toEqual([
      'ann',
    ])
  })
})

describe('the owner under an allowlist', () => {
  test('a match inside a span counts for nobody, the owner neither', () => {
    const allowlist = new Allowlist([{ selector: 'aside' }])
    const shown = (body: string): boolean =>
      scan(body, { index, owner: 'mary', allowlist }).ownerSeen
    expect(shown('<aside>Mary Smith</aside>')).toBe(false)
    expect(shown('<aside>Mary Smith</aside><p>Mary Smith</p>')).toBe(true)
  })
})

describe('building an allowlist', () => {
  test('a bad rule throws DETECT_ERR_ALLOWLIST_INVALID naming its field', () => {
    expect(() => new Allowlist([{ text: 'ok' }, { selector: 'aside[' }])).toThrow(
      expect.objectContaining({ code: 'DETECT_ERR_ALLOWLIST_INVALID', field: 'selector' })
    )
  })

  test('concat() holds both rule lists and matches case as the first does', () => {
    const both = new Allowlist([{ text: 'Ann Lee' }]).concat(new Allowlist([{ text: 'Bob Jones' }]))
    expect(both.rules).toEqual([{ text: 'Ann Lee' }, { text: 'Bob Jones' }])
    expect(scan('Ann Lee, Bob Jones', { index, allowlist: both }).matches).toEqual([])
    expect(Allowlist.EMPTY.concat(both)).toBe(both)
    expect(both.concat(Allowlist.EMPTY)).toBe(both)
  })
})

describe('allowlistRuleProblem', () => {
  test.each<[AllowlistRule, string]>([
    [{ text: '   ' }, 'text'],
    [{ selector: 'aside[' }, 'selector'],
    [{ json: 'team[' }, 'json'],
    [{ json: '' }, 'json'],
  ])('%j is refused at its %s field', (rule, field) => {
    expect(allowlistRuleProblem(rule)?.field).toBe(field)
  })

  test('good rules pass', () => {
    expect(allowlistRuleProblem({ selector: 'aside#team, .recent > li' })).toBeUndefined()
    expect(allowlistRuleProblem({ json: "$['odd key'][*].name" })).toBeUndefined()
    expect(allowlistRuleProblem({ text: 'Team' })).toBeUndefined()
  })
})
