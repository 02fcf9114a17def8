// CSS-selector allowlists: the raw extent (byte offsets) of every element a selector matches.
// css-select matches the selectors over html-tree.ts's element records through an adapter.
import { compile, selectAll } from 'css-select'
import type { Options } from 'css-select'
import { parseElements } from './html-tree.js'
import type { HtmlElement } from './html-tree.js'

const adapter: NonNullable<Options<HtmlElement, HtmlElement>['adapter']> = {
  isTag: (node): node is HtmlElement => node !== null,
  getAttributeValue: (element, name) => element.attribs[name],
  getChildren: (node) => node.children,
  getName: (element) => element.name,
  getParent: (element) => element.parent,
  getSiblings: (node) => node.siblings,
  getText: (node) => node.bytes.toString('utf8', node.start, node.end).replace(/<[^>]*>/g, ''),
  hasAttrib: (element, name) => Object.hasOwn(element.attribs, name),
  removeSubsets: (nodes) =>
    nodes.filter((node, i) => {
      if (nodes.indexOf(node) !== i) {
        return false
      }
      for (let p = node.parent; p !== null; p = p.parent) {
        if (nodes.includes(p)) {
          return false
        }
      }
      return true
    }),
}

/** A selector compiled for this adapter. */
export type CompiledSelector = (element: HtmlElement) => boolean

/** Compiles a CSS selector, or returns a message saying why it cannot be used. */
export function compileSelector(selector: string): CompiledSelector | string {
  try {
    return compile<HtmlElement, HtmlElement>(selector, { adapter, cacheResults: false })
  } catch (err) {
    return `not a selector css-select can use: ${(err as Error).message}`
  }
}

/** Flat [start, end) byte ranges of the elements any of `selectors` matches in `body`. */
export function elementRanges(body: Buffer, selectors: readonly CompiledSelector[]): number[] {
  const top = parseElements(body)
  const ranges: number[] = []
  for (const selector of selectors) {
    for (const element of selectAll<HtmlElement, HtmlElement>(selector, top, { adapter })) {
      ranges.push(element.start, element.end)
    }
  }
  return ranges
}
