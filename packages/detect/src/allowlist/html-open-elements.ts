// The stack of open elements html-tree.ts keeps, and the element record it holds.
import {
  CELLS,
  MATH_INTEGRATION,
  NONE,
  SPECIAL,
  SVG_INTEGRATION,
  TABLE_MODES,
} from './html-names.js'

/** An element as the allowlist needs it: name, attributes, tree links and raw extent. */
export interface HtmlElement {
  /** The body the element is in. */
  readonly bytes: Buffer
  name: string
  /** Attributes, decoded on first use (most elements are never asked). */
  readonly attribs: Record<string, string>
  parent: HtmlElement | null
  children: HtmlElement[]
  /** The array this element is in: its parent's children, or the document's top level. */
  siblings: HtmlElement[]
  /** Byte offset of the start tag's `<`. */
  start: number
  /** After the end tag's `>`, or where the element was closed implicitly (the next tag, EOF). */
  end: number
  /** In <svg> or <math>: self-closing tags count, no raw text, no HTML rules. */
  readonly foreign: boolean
  readonly namespace: 'svg' | 'math' | undefined
  /** A <table> holding rows outside any row group: a browser made a <tbody> for them. */
  impliedBody?: boolean
}

export function integrates(e: HtmlElement): boolean {
  return e.namespace === 'svg'
    ? SVG_INTEGRATION.has(e.name)
    : e.namespace === 'math' && MATH_INTEGRATION.has(e.name)
}

/** HTML's special elements, plus the foreign ones that hold HTML. */
export function isSpecial(e: HtmlElement): boolean {
  return e.foreign ? integrates(e) : SPECIAL.has(e.name)
}

/** The stack of open elements, counting open HTML <select>s and <table>s (asked on every tag). */
export class OpenElements {
  readonly items: HtmlElement[] = []
  selects = 0
  tables = 0

  get length(): number {
    return this.items.length
  }

  get top(): HtmlElement | undefined {
    return this.items.at(-1)
  }

  push(e: HtmlElement): void {
    this.items.push(e)
    this.#count(e, 1)
  }

  /** Ends every element from depth `depth` up at `at`. */
  close(depth: number, at: number): void {
    while (this.items.length > Math.max(depth, 0)) {
      const e = this.items.pop() as HtmlElement
      e.end = at
      this.#count(e, -1)
    }
  }

  /** Takes `count` elements from depth `depth` off the stack (leaving those above open). */
  remove(depth: number, count: number, at: number): void {
    for (const e of this.items.splice(depth, count)) {
      e.end = at
      this.#count(e, -1)
    }
  }

  /** Depth of the nearest open HTML `names` element not beyond a `stop` element, or -1. */
  find(names: ReadonlySet<string>, stop: ReadonlySet<string>): number {
    for (let d = this.items.length - 1; d >= 0; d--) {
      const e = this.items[d] as HtmlElement
      if (e.foreign) {
        // Never the HTML element sought; the foreign ones holding HTML bound scopes.
        if (integrates(e) && stop !== NONE) {
          return -1
        }
        continue
      }
      if (names.has(e.name)) {
        return d
      }
      if (stop.has(e.name)) {
        return -1
      }
    }
    return -1
  }

  /** Whether a tag now reads as foreign content: in svg/math, not in HTML held there. */
  get inForeign(): boolean {
    const top = this.top
    return top !== undefined && top.foreign && !integrates(top)
  }

  /** Whether the nearest table context is a table, not a cell: the "in table" insertion modes. */
  get inTable(): boolean {
    const d = this.tables > 0 ? this.find(TABLE_MODES, NONE) : -1
    return d >= 0 && !CELLS.has((this.items[d] as HtmlElement).name)
  }

  #count(e: HtmlElement, by: number): void {
    if (!e.foreign) {
      if (e.name === 'select') {
        this.selects += by
      } else if (e.name === 'table') {
        this.tables += by
      }
    }
  }
}
