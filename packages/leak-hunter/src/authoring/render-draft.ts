// A ScenarioDraft as commented YAML (the yaml package keeps the quoting right) and its CSV header.
import { Document, isMap, isPair, isScalar, isSeq } from 'yaml'
import type { Node, Pair } from 'yaml'
import type { DraftComment, DraftPath, ScenarioDraft } from './draft.js'

/** Small objects (extract rules, expect lists, credentials) read best on one line. */
const FLOW_KEYS = new Set(['extract', 'expect', 'credentials', 'columns', 'latency'])

function pairAt(doc: Document, path: DraftPath): Pair | Node | undefined {
  let node: unknown = doc.contents
  let pair: Pair | undefined
  for (const key of path) {
    if (isMap(node)) {
      pair = node.items.find((p) => isScalar(p.key) && p.key.value === key)
      node = pair?.value
    } else if (isSeq(node) && typeof key === 'number') {
      pair = undefined
      node = node.items[key]
    } else {
      return undefined
    }
  }
  return pair ?? (node as Node | undefined)
}

function attach(doc: Document, c: DraftComment): void {
  const at = pairAt(doc, c.path)
  if (at === undefined) {
    throw new Error(`draft comment for a path that does not exist: ${c.path.join('.')}`)
  }
  const text = c.text
    .split('\n')
    .map((l) => ` ${l}`)
    .join('\n')
  if (isPair(at)) {
    const target = (c.inline === true ? at.value : at.key) as Node
    if (c.inline === true) {
      target.comment = text
    } else {
      target.commentBefore =
        target.commentBefore === undefined ? text : `${target.commentBefore}\n${text}`
    }
    return
  }
  if (c.inline === true) {
    at.comment = text
  } else {
    at.commentBefore = at.commentBefore === undefined ? text : `${at.commentBefore}\n${text}`
  }
}

function flowSmallObjects(node: unknown, parentKey: string | undefined): void {
  if (isMap(node)) {
    for (const p of node.items) {
      const key = isScalar(p.key) ? String(p.key.value) : undefined
      if (key !== undefined && FLOW_KEYS.has(key) && (isMap(p.value) || isSeq(p.value))) {
        // extract: one rule per line, each rule on one line.
        if (key === 'extract' && isMap(p.value)) {
          for (const rule of p.value.items) {
            if (isMap(rule.value)) {
              rule.value.flow = true
            }
          }
        } else {
          p.value.flow = true
        }
      }
      flowSmallObjects(p.value, key)
    }
  } else if (isSeq(node)) {
    for (const item of node.items) {
      flowSmallObjects(item, parentKey)
    }
  }
}

export function renderScenarioYaml(draft: ScenarioDraft): string {
  // No anchors and aliases: a reader should see every step's headers where they apply.
  const doc = new Document(draft.scenario, { aliasDuplicateObjects: false })
  flowSmallObjects(doc.contents, undefined)
  for (const c of draft.comments) {
    attach(doc, c)
  }
  const head = draft.header.map((l) => (l === '' ? '#' : `# ${l}`)).join('\n')
  const body = doc.toString({ lineWidth: 0, singleQuote: true, flowCollectionPadding: false })
  return `${head}\n${body}`
}

/** The accounts CSV: its header row only (test accounts are the user's to add, never ours). */
export function renderAccountsCsv(draft: ScenarioDraft): string {
  return `${draft.accountColumns.map((c) => (/[",\n\r]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',')}\n`
}
