// The WHATWG tree-building rules html-tree.ts follows to end elements: what a start tag ends
// implicitly, what an end tag ends, and which tags a browser drops.
import {
  BODY,
  BREAKS_OUT,
  BUTTON_SCOPE,
  CAPTION,
  CELL_TAGS,
  DEFAULT_SCOPE,
  END_IN_SELECT,
  ENDS_P,
  ENDS_SELECT,
  FLAGS,
  FORM,
  FORMATTING,
  HEADING,
  HEADINGS,
  IMPLIED_END,
  IN_SELECT,
  KIN,
  LEAVES_SELECT,
  LEAVES_SELECT_IN_TABLE,
  LIST_SCOPE,
  NONE,
  OPTION,
  P,
  ROW_TAGS,
  SAME_KIND,
  SCOPED_END,
  SELECT,
  TABLE,
  TABLE_GROUPS,
  TABLE_PARTS,
  TABLE_SCOPE,
  set1,
} from './html-names.js'
import type { HtmlElement, OpenElements } from './html-open-elements.js'
import { integrates, isSpecial } from './html-open-elements.js'

/** Whether a browser ignores start tag `name` because a <select> is open. */
function droppedInSelect(open: OpenElements, name: string): boolean {
  if (open.selects === 0 || IN_SELECT.has(name) || LEAVES_SELECT.has(name)) {
    return false
  }
  return !(LEAVES_SELECT_IN_TABLE.has(name) && open.tables > 0)
}

/** Whether table part `name` is open in table scope, counting the row or body a bare cell implies. */
function inTableScope(open: OpenElements, name: string): boolean {
  return (
    open.find(set1(name), TABLE_SCOPE) >= 0 ||
    (name === 'tr' && open.find(CELL_TAGS, TABLE_SCOPE) >= 0) ||
    (name === 'tbody' && open.find(ROW_TAGS, TABLE_SCOPE) >= 0)
  )
}

/** Closes what start tag `name` at `at` implicitly ends. */
export function impliedEnds(open: OpenElements, name: string, at: number, quirks: boolean): void {
  const flags = FLAGS.get(name) ?? 0
  if (open.inForeign) {
    // In svg/math a tag is a foreign element and ends nothing, unless it breaks out.
    if ((flags & BREAKS_OUT) === 0) {
      return
    }
    let d = open.length - 1
    while (d >= 0 && (open.items[d] as HtmlElement).foreign && !integrates(open.items[d]!)) {
      d--
    }
    open.close(d + 1, at)
  }
  if (flags === 0) {
    // Most tags (span, a, b, img, ...) end nothing.
    return
  }
  if ((flags & OPTION) !== 0 && (open.selects > 0 || name !== 'hr')) {
    // An option ends the option it follows; an optgroup (or an hr in a <select>) a group too.
    if (open.top?.name === 'option') {
      open.close(open.length - 1, at)
    }
    if (name !== 'option' && open.top?.name === 'optgroup' && open.selects > 0) {
      open.close(open.length - 1, at)
    }
    return
  }
  if (open.selects > 0 && IN_SELECT.has(name)) {
    return
  }
  if ((flags & ENDS_SELECT) !== 0 && open.selects > 0 && !droppedInSelect(open, name)) {
    open.close(open.find(SELECT, NONE), at)
  }
  // In quirks mode (no <!doctype html>) a table goes inside an open paragraph.
  if ((flags & ENDS_P) !== 0 && !(quirks && name === 'table')) {
    const p = open.find(P, BUTTON_SCOPE)
    if (p >= 0) {
      open.close(p, at)
    }
  }
  if ((flags & HEADING) !== 0 && HEADINGS.has(open.top?.name ?? '')) {
    open.close(open.length - 1, at)
  }
  if ((flags & KIN) !== 0) {
    const kin = SAME_KIND.get(name)!
    const d = open.find(kin.names, kin.stop)
    if (d >= 0 && (name === 'a' || name === 'nobr')) {
      // The adoption agency, roughly: the old one and what it holds up to the first block (a
      // special element) leave the stack; that block and what is inside it stay open.
      open.remove(d, firstBlock(open, d) - d, at)
    } else if (d >= 0) {
      open.close(d, at)
    }
  }
}

/** Depth of the first special element above depth `d` (the stack's length when none is). */
function firstBlock(open: OpenElements, d: number): number {
  let f = d + 1
  while (f < open.length && !isSpecial(open.items[f]!)) {
    f++
  }
  return f
}

/**
 * End tag `name` from `at` to `after`. A foreign element of its name ends; else a block-like
 * element ends when open in its scope; a formatting element (<b>, <a>) ends, leaving what it
 * holds from the first block on open; any other ends when open above every special element.
 * Otherwise the tag is ignored, as a browser does.
 */
function endTag(open: OpenElements, name: string, at: number, after: number): void {
  let k = open.length - 1
  while (k >= 0 && open.items[k]!.foreign) {
    if (open.items[k]!.name === name) {
      open.close(k + 1, at)
      open.close(k, after)
      return
    }
    k--
  }
  const inForeign = k < open.length - 1
  let d = -1
  if (!(SCOPED_END.has(name) || HEADINGS.has(name) || FORMATTING.has(name))) {
    for (; k >= 0; k--) {
      const e = open.items[k]!
      // An HTML end tag ends HTML elements only.
      if (e.name === name && !e.foreign) {
        d = k
        break
      }
      if (isSpecial(e)) {
        break
      }
    }
  } else {
    const scope =
      name === 'li'
        ? LIST_SCOPE
        : name === 'p'
          ? BUTTON_SCOPE
          : TABLE_PARTS.has(name)
            ? TABLE_SCOPE
            : DEFAULT_SCOPE
    d = open.find(HEADINGS.has(name) ? HEADINGS : set1(name), scope)
  }
  if (d < 0) {
    return
  }
  if (name === 'form') {
    // </form> ends the paragraphs and items open in it ("implied end tags"), then takes the form
    // off the stack, leaving anything else open inside it open.
    while (open.length > d + 1 && IMPLIED_END.has(open.top!.name)) {
      open.close(open.length - 1, at)
    }
    open.remove(d, 1, d === open.length - 1 ? after : at)
    return
  }
  if (FORMATTING.has(name) && !inForeign) {
    const f = firstBlock(open, d)
    if (f < open.length) {
      open.remove(d, f - d, at)
      return
    }
  }
  open.close(d + 1, at)
  open.close(d, open.items[d]!.name === name ? after : at)
}

/** Whether a browser makes no element for start tag `name` here (ending a <select> may be all). */
export function dropped(
  open: OpenElements,
  name: string,
  formPointer: boolean,
  at: number
): boolean {
  if (
    (name === 'form' && (formPointer || open.find(FORM, NONE) >= 0)) ||
    (name === 'body' && open.find(BODY, NONE) >= 0)
  ) {
    return true
  }
  if (name === 'select' && open.selects > 0) {
    // A <select> in an open one ends it and makes nothing.
    open.close(open.find(SELECT, NONE), at)
    return true
  }
  return droppedInSelect(open, name)
}

/** An end tag between `at` and `after`, with the special cases before endTag(). */
export function endTagAt(
  open: OpenElements,
  name: string,
  at: number,
  after: number,
  quirks: boolean
): void {
  if (name === 'body' || name === 'html') {
    open.close(0, at)
    return
  }
  if (!open.inForeign && open.selects > 0 && !END_IN_SELECT.has(name)) {
    // In a <select> other end tags are ignored; in a table, a table part's ends the select.
    if (!TABLE_PARTS.has(name) || !inTableScope(open, name)) {
      return
    }
    open.close(open.find(SELECT, NONE), at)
  }
  if (TABLE_GROUPS.has(name) && open.find(set1(name), TABLE_SCOPE) < 0) {
    // </tr> or </tbody> ending the row or row group a browser made up for a bare <td>; with
    // no such row or group it is ignored.
    const t = open.tables > 0 ? open.find(TABLE, NONE) : -1
    const table = open.items[t]
    const impliedBody =
      name === 'tbody' && table?.impliedBody === true && open.find(CAPTION, TABLE_SCOPE) < 0
    if (table !== undefined && (inTableScope(open, name) || impliedBody)) {
      open.close(t + 1, at)
      table.impliedBody &&= name === 'tr'
    }
    return
  }
  if ((name === 'p' || name === 'br') && open.inForeign) {
    // In svg/math these end tags break out of the foreign content, as their start tags do.
    impliedEnds(open, 'p', at, quirks)
  }
  endTag(open, name, at, after)
}
