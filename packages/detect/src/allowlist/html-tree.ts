// The element tree a selector allowlist needs, from a body's bytes: names, attributes, nesting and
// each element's raw extent, where a browser would end it. It follows the WHATWG rules that end
// elements (implied end tags, scopes, void, raw-text and RCDATA elements, <select> and table
// parts, foreign content, comments) and errs toward ending early where it simplifies, because
// an extent longer than the browser's would hide a leak. html-tree.property.test.ts holds it to
// parse5's extents. Known differences, all in malformed markup: content a browser foster-parents
// out of a table still counts as inside it, and misnested formatting tags (<b><p></b>) keep
// their extents as written instead of the adoption agency's re-parenting. About half the CPU
// of htmlparser2's streaming Parser on the 2 KB bench page (10 against 20 µs, measured when this
// was written), whose tree ends elements later than a browser does (<p><b><div> keeps the div in
// the p); docs/detection.md section 7.
import { FLAGS, IS_RAW, IS_VOID, NONE, TABLE_CONTEXT } from './html-names.js'
import {
  GT,
  LT,
  SLASH,
  commentEnd,
  isAlpha,
  isSpace,
  rawTextEnd,
  scanTag,
  tagName,
} from './html-tokens.js'
import { OpenElements, integrates } from './html-open-elements.js'
import type { HtmlElement } from './html-open-elements.js'
import type { TagInfo } from './html-tokens.js'
import { dropped, endTagAt, impliedEnds } from './html-tree-rules.js'

export type { HtmlElement } from './html-open-elements.js'

/** An element whose attributes are read from its tag when first asked for. */
class Element implements HtmlElement {
  children: HtmlElement[] = []
  end: number
  impliedBody = false
  readonly foreign: boolean
  #attribs: Record<string, string> | undefined

  constructor(
    readonly bytes: Buffer,
    readonly name: string,
    /** Where the tag's attributes start. */
    readonly from: number,
    readonly parent: HtmlElement | null,
    readonly siblings: HtmlElement[],
    readonly start: number,
    readonly namespace: 'svg' | 'math' | undefined
  ) {
    this.end = bytes.length
    this.foreign = namespace !== undefined
  }

  get attribs(): Record<string, string> {
    if (this.#attribs === undefined) {
      this.#attribs = {}
      scanTag(this.bytes, this.from, this.#attribs)
    }
    return this.#attribs
  }
}

/** Parses the body's bytes into element records (top level first). */
export function parseElements(body: Uint8Array): HtmlElement[] {
  const bytes = Buffer.isBuffer(body)
    ? body
    : Buffer.from(body.buffer, body.byteOffset, body.length)
  const n = bytes.length
  const top: HtmlElement[] = []
  const open = new OpenElements()
  let formPointer = false
  let quirks = true
  let seenElement = false
  const tag: TagInfo = { selfClosing: false }
  let i = 0
  while (i < n) {
    const lt = bytes.indexOf(LT, i)
    if (lt < 0) {
      break
    }
    const c = bytes[lt + 1]
    if (isAlpha(c) || (c === SLASH && isAlpha(bytes[lt + 2]))) {
      const from = c === SLASH ? lt + 2 : lt + 1
      let j = from + 1
      while (j < n && !isSpace(bytes[j]) && bytes[j] !== SLASH && bytes[j] !== GT) {
        j++
      }
      const name = tagName(bytes, from, j)
      const tagEnd = scanTag(bytes, j, undefined, tag)
      if (tagEnd < 0) {
        break
      }
      i = tagEnd
      if (c === SLASH) {
        formPointer &&= name !== 'form'
        endTagAt(open, name, lt, i, quirks)
        continue
      }
      const selfClosed = tag.selfClosing
      const foreignHere = open.inForeign
      if (!foreignHere && dropped(open, name, formPointer, lt)) {
        continue
      }
      const context = foreignHere ? undefined : TABLE_CONTEXT.get(name)
      if (context !== undefined) {
        // A table part outside a table is dropped; in one it first closes what is open in its
        // table, row group or row ("clear the stack back to a table context").
        const d = open.tables > 0 ? open.find(context, NONE) : -1
        if (d < 0) {
          continue
        }
        open.close(d + 1, lt)
        const table = open.items[d]!
        if (table.name === 'table') {
          table.impliedBody = name === 'tr' || name === 'td' || name === 'th'
        }
      }
      seenElement = true
      impliedEnds(open, name, lt, quirks)
      const parent = open.top ?? null
      // In svg or math everything stays in that namespace (a <math> in an <svg> too), except
      // inside the elements that hold HTML again.
      const namespace =
        parent?.namespace !== undefined && !integrates(parent)
          ? parent.namespace
          : name === 'svg' || name === 'math'
            ? name
            : undefined
      const siblings = parent === null ? top : parent.children
      const element = new Element(bytes, name, j, parent, siblings, lt, namespace)
      siblings.push(element)
      const flags = FLAGS.get(name) ?? 0
      const html = namespace === undefined
      // A browser's form element pointer: a second <form> is ignored until </form>. A <form>
      // straight in a table is inserted and closed at once.
      formPointer ||= html && name === 'form'
      if (
        (html && (flags & IS_VOID) !== 0) ||
        (!html && selfClosed) ||
        (html && name === 'form' && open.inTable)
      ) {
        element.end = i
        continue
      }
      open.push(element)
      if (html && (flags & IS_RAW) !== 0) {
        const end = name === 'plaintext' ? -1 : rawTextEnd(bytes, i, name)
        if (end < 0) {
          break
        }
        i = end
      }
    } else if (c === 0x21 && bytes[lt + 2] === 0x2d && bytes[lt + 3] === 0x2d) {
      // <!-- ... -->; also the abrupt <!--> and <!--->.
      const end =
        bytes[lt + 4] === GT
          ? lt + 5
          : bytes[lt + 4] === 0x2d && bytes[lt + 5] === GT
            ? lt + 6
            : commentEnd(bytes, lt + 4)
      if (end < 0) {
        break
      }
      i = end
    } else if (
      c === 0x21 &&
      open.inForeign &&
      bytes.toString('latin1', lt + 2, lt + 9) === '[CDATA['
    ) {
      const end = bytes.indexOf(']]>', lt + 9)
      if (end < 0) {
        break
      }
      i = end + 3
    } else if (c === 0x21 || c === 0x3f || c === SLASH) {
      // <!doctype>, <?...>, </ followed by no letter: a bogus comment up to the next `>`.
      const end = bytes.indexOf(GT, lt + 2)
      if (end < 0) {
        break
      }
      if (!seenElement && /^<!doctype\s+html\s*$/i.test(bytes.toString('latin1', lt, end))) {
        quirks = false
      }
      i = end + 1
    } else {
      i = lt + 1
    }
  }
  open.close(0, n)
  return top
}
