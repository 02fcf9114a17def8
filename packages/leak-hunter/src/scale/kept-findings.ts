// The findings a merged report lists one by one: the oldest `limit` of all the parts', kept in
// bounded memory whatever order they arrive in. Every finding still counts in the groups.
import type { Finding } from '../detect/types.js'

const byTime = (a: Finding, b: Finding): number => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0)

export class KeptFindings {
  readonly #limit: number
  #list: Finding[] = []

  constructor(limit = 1000) {
    this.#limit = limit
  }

  add(finding: Finding): void {
    this.#list.push(finding)
    // Twice the limit before trimming: a sort per `limit` findings, not one per finding.
    if (this.#list.length > 2 * this.#limit) {
      this.#list = this.oldest()
    }
  }

  oldest(): Finding[] {
    return [...this.#list].sort(byTime).slice(0, this.#limit)
  }
}
