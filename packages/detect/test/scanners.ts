// The two scanners the case and property tests hold to the same answers: scan() (the fast path)
// and the reference (reference/reference-scan.ts), behind one signature.
import { Allowlist } from '../src/allowlist/allowlist.js'
import { buildIndex } from '../src/index/build-index.js'
import { scan } from '../src/scan/scan.js'
import type { Identity, IndexOptions } from '../src/types.js'
import { referenceScan } from './reference/reference-scan.js'
import type { ReferenceOptions, ReferenceResult } from './reference/reference-scan.js'

export type Scanner = (
  body: string | Uint8Array,
  identities: readonly Identity[],
  options: IndexOptions,
  scanOptions?: ReferenceOptions
) => ReferenceResult

export const fastScan: Scanner = (body, identities, options, o = {}) => {
  const result = scan(body, {
    index: buildIndex(identities, options),
    contentType: o.contentType,
    owner: o.owner,
    allowlist:
      o.allowlist === undefined
        ? undefined
        : new Allowlist(
            o.allowlist.map((text) => ({ text })),
            { caseInsensitive: options.caseInsensitive ?? false }
          ),
  })
  const plain = (m: { identity: Identity; column: string; start: number; end: number }) => ({
    id: m.identity.id,
    column: m.column,
    start: m.start,
    end: m.end,
  })
  return {
    text: result.text(),
    matches: result.matches.map(plain),
    ownerSeen: result.ownerSeen,
    foreign: result.foreign.map(plain),
  }
}

export const scanners: Array<[string, Scanner]> = [
  ['scan()', fastScan],
  ['reference', referenceScan],
]

/** `id:column:text` of each match, in text order. */
export function labels(
  result: ReferenceResult,
  which: 'matches' | 'foreign' = 'matches'
): string[] {
  return result[which].map((m) => `${m.id}:${m.column}:${result.text.slice(m.start, m.end)}`)
}
