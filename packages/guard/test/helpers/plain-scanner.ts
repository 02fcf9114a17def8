// A stand-in detector for the interception tests until @crosstalk/detect is merged: plain
// substring search over the UTF-8 text. It keeps the BodyScanner contract, nothing more.
import type { BodyScanner, ForeignMatch } from '../../src/detection/body-scanner.js'
import type { ResolvedIdentity } from '../../src/identity/identity.js'
import type { GuardConfig } from '../../src/options.js'

export function plainScanner(config: GuardConfig): BodyScanner {
  const text = new Set(config.markers.text)
  const identities = new Map<string, ResolvedIdentity>()
  return {
    scan(bytes, _contentType, owner) {
      const body = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8')
      let ownerSeen = false
      const foreign: ForeignMatch[] = []
      for (const identity of identities.values()) {
        for (const [field, value] of Object.entries(identity.fields)) {
          if (text.has(field) && value.length >= config.markers.minLength && body.includes(value)) {
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
