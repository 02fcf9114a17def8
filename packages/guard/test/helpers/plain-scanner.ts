// A stand-in detector for the interception tests until @crosstalk/detect is merged: plain
// substring search over the UTF-8 text. It keeps the BodyScanner contract, nothing more.
import type { BodyScanner, ForeignMatch } from '../../src/detection/body-scanner.js'
import type { ResolvedIdentity } from '../../src/identity/identity.js'

export function plainScanner(): BodyScanner {
  const identities = new Map<string, ResolvedIdentity>()
  return {
    scan(body, _contentType, owner) {
      const text = Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8')
      let ownerSeen = false
      const foreign: ForeignMatch[] = []
      for (const identity of identities.values()) {
        for (const [field, value] of Object.entries(identity.fields)) {
          if (value.length >= 3 && text.includes(value)) {
            if (identity.id === owner) {
              ownerSeen = true
            } else {
              foreign.push({ id: identity.id, field })
            }
          }
        }
      }
      return { ownerSeen, foreign }
    },
    set: (identity) => void identities.set(identity.id, identity),
    delete: (id) => void identities.delete(id),
    flush: () => Promise.resolve(),
    stats: () => ({ indexed: identities.size, generation: 0, pending: 0, lastRebuildMs: 0 }),
    close: () => {},
  }
}
