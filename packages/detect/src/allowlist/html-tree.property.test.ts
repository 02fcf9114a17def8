// html-tree against parse5, the WHATWG parser: an element extent must never be longer than the
// browser's, or an allowlisted selector would cover text a browser puts outside the element.
import fc from 'fast-check'
import { parse } from 'parse5'
import { describe, expect, test } from 'vitest'
import { parseElements } from './html-tree.js'
import type { HtmlElement } from './html-tree.js'

interface P5Node {
  tagName?: string
  childNodes?: P5Node[]
  content?: P5Node
  sourceCodeLocation?: { startOffset: number; endOffset: number } | null
}

/**
 * parse5's elements by start offset. A formatting element (<b>, <a>) that the adoption agency
 * re-opens has clones with the same start tag and attributes: its extent is theirs together.
 */
function browserExtents(html: string): Map<number, { name: string; end: number }> | undefined {
  const out = new Map<number, { name: string; end: number }>()
  let moved = false
  const walk = (node: P5Node): void => {
    for (const child of node.childNodes ?? []) {
      const loc = child.sourceCodeLocation
      if (
        child.tagName !== undefined &&
        loc == null &&
        !['html', 'head', 'body', 'tbody', 'tr'].includes(child.tagName)
      ) {
        moved = true
      }
      if (child.tagName !== undefined && loc != null) {
        // An element left open by a raw-text run to the end of input gets no end offset.
        const end = loc.endOffset > loc.startOffset ? loc.endOffset : html.length
        const seen = out.get(loc.startOffset)
        out.set(loc.startOffset, { name: child.tagName, end: Math.max(end, seen?.end ?? 0) })
      }
      walk(child)
    }
  }
  walk(parse(html, { sourceCodeLocationInfo: true }))
  // An element without a location is a clone the adoption agency made: it re-parents what was
  // open, and the locations of what it moved no longer describe extents. Such input is skipped.
  return moved ? undefined : out
}

function mine(html: string): HtmlElement[] {
  const all: HtmlElement[] = []
  const walk = (list: HtmlElement[]): void => {
    for (const e of list) {
      all.push(e)
      walk(e.children)
    }
  }
  walk(parseElements(Buffer.from(html, 'latin1')))
  return all
}

// Three vocabularies. Known differences from a browser, all in malformed markup, are left out:
// content a browser foster-parents out of a table (a form, svg or misplaced block in a <table>)
// and misnested formatting tags (below). See html-tree.ts.
const HTML = [
  'p',
  'div',
  'aside',
  'section',
  'li',
  'ul',
  'ol',
  'dl',
  'dd',
  'dt',
  'b',
  'i',
  'span',
  'h1',
  'h2',
  'button',
  'option',
  'optgroup',
  'select',
  'script',
  'style',
  'textarea',
  'title',
  'br',
  'img',
  'hr',
  'form',
  'pre',
  'em',
  'header',
  'nav',
]
const TABLES = [
  'table',
  'tr',
  'td',
  'th',
  'tbody',
  'caption',
  'p',
  'div',
  'span',
  'li',
  'ul',
  'select',
  'option',
  'br',
  'script',
]
const FOREIGN = [
  'svg',
  'math',
  'path',
  'title',
  'mi',
  'p',
  'div',
  'span',
  'li',
  'ul',
  'br',
  'img',
  'script',
  'style',
  'section',
]
const attrs = fc.constantFrom(
  '',
  ' class="team"',
  " title='a>b'",
  ' id=x',
  ' data-x="1" hidden',
  ' class=team/'
)
const text = fc.constantFrom(
  'Ann Lee',
  ' ',
  '\n',
  'x < y',
  '&amp;',
  '<!-- c -->',
  '<!-->',
  '<?pi?>',
  '<![CDATA[z]]>',
  '</>',
  '<!doctype html>',
  '</ x>'
)
// No end tags of formatting elements, no nested <a>: where they are misnested the browser's
// adoption agency re-parents nodes, and parse5's locations then stop describing extents.
const FORMATTING = ['a', 'b', 'i', 'em', 'nobr']
const tokens = (names: string[]) => {
  const name = fc.constantFrom(...names)
  const closable = fc.constantFrom(...names.filter((n) => !FORMATTING.includes(n)))
  const token = fc.oneof(
    fc.tuple(name, attrs, fc.constantFrom('>', '/>')).map(([n, a, e]) => `<${n}${a}${e}`),
    closable.map((n) => `</${n}>`),
    text
  )
  return fc.array(token, { minLength: 1, maxLength: 30 })
}

/** Checks every element of html-tree against the browser's; false when parse5 moved nodes. */
function compare(html: string): boolean {
  const browser = browserExtents(html)
  if (browser === undefined) {
    return false
  }
  for (const e of mine(html)) {
    const b = browser.get(e.start)
    // An element the browser does not make would be a span it never had.
    expect(b?.name.toLowerCase()).toBe(e.name)
    expect(e.end).toBeLessThanOrEqual(b?.end ?? -1)
  }
  return true
}

describe('html-tree against parse5', () => {
  test.each([
    ['HTML', HTML],
    ['tables', TABLES],
    ['foreign content', FOREIGN],
  ])("%s: every element starts where the browser's does and never ends after it", (_, names) => {
    let compared = 0
    const runs = Number(process.env.FC_RUNS ?? 500)
    fc.assert(
      fc.property(tokens(names), (list) => {
        compared += compare(list.join('')) ? 1 : 0
      }),
      { numRuns: runs }
    )
    // Most inputs are compared, not skipped.
    expect(compared).toBeGreaterThan(runs * 0.75)
  })
})
