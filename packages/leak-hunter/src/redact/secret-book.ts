// Every secret value the run knows of, to redact them by value from whatever it writes: credential
// columns, literal secrets of the scenario, and what the VUs hold now (extracted tokens, cookies).
// Holding a value is a couple of map operations; the text is only searched when an output is
// written (a finding, an error message), never per response.
import { foldCase, normalizeMarker } from '@crosstalk/detect'

export const REDACTED = '[redacted]'

/**
 * Shorter values are not searched for in text: they cannot be told from ordinary words (a cookie
 * `lang=en`), and replacing every "on" would destroy the evidence. They are still redacted where
 * their place is known (URL templates, Set-Cookie, the configuration).
 */
export const MIN_SECRET_LENGTH = 4

/** Values that read the same URL-encoded, form-encoded and normalised: most tokens. */
const PLAIN = /^[A-Za-z0-9._~-]*$/

/** The forms a value takes in outputs: as held, URL- and form-encoded, normalised like a body. */
export function secretForms(value: string, caseInsensitive: boolean): string[] {
  const forms = [value]
  if (!PLAIN.test(value)) {
    const url = encodeURIComponent(value)
    forms.push(url, url.replace(/%20/g, '+'), normalizeMarker(value))
  }
  if (caseInsensitive) {
    // Case-insensitive runs fold the body text, so excerpts hold the folded forms.
    for (const f of [...forms]) {
      forms.push(foldCase(f))
    }
  }
  return [...new Set(forms)].filter((f) => f.length >= MIN_SECRET_LENGTH)
}

/** The first three UTF-16 units as one exact number: the bucket a search at `at` looks in. */
function keyAt(text: string, at: number): number {
  return (
    text.charCodeAt(at) * 0x100000000 + text.charCodeAt(at + 1) * 0x10000 + text.charCodeAt(at + 2)
  )
}

export interface SecretSpan {
  start: number
  end: number
}

export class SecretBook {
  readonly #caseInsensitive: boolean
  /** Form -> how many holders hold it. */
  readonly #counts = new Map<string, number>()
  /** Forms by their first three units, longest first. */
  readonly #buckets = new Map<number, string[]>()
  #pending: string[] = []
  #longest = 0

  constructor(caseInsensitive: boolean) {
    this.#caseInsensitive = caseInsensitive
  }

  get size(): number {
    return this.#counts.size
  }

  /** The longest form ever held: how far a secret can reach into text from outside it. */
  get longest(): number {
    return this.#longest
  }

  /** One more holder of `value` (a VU's cookie or variable, a credential). */
  hold(value: string): void {
    if (value.length < MIN_SECRET_LENGTH) {
      return
    }
    for (const form of secretForms(value, this.#caseInsensitive)) {
      const n = this.#counts.get(form) ?? 0
      this.#counts.set(form, n + 1)
      if (n === 0) {
        this.#longest = Math.max(this.#longest, form.length)
        const key = keyAt(form, 0)
        const bucket = this.#buckets.get(key)
        if (bucket === undefined) {
          this.#buckets.set(key, [form])
        } else {
          bucket.push(form)
          bucket.sort((a, b) => b.length - a.length)
        }
      }
    }
  }

  /**
   * One holder fewer, once settle() runs: a response that replaces a cookie (or hands over a new
   * token) can still echo the old value, and its findings are reported before the step settles.
   */
  release(value: string): void {
    if (value.length >= MIN_SECRET_LENGTH) {
      this.#pending.push(value)
    }
  }

  /** Applies the releases since the last call; a value nobody holds is no longer searched for. */
  settle(): void {
    if (this.#pending.length === 0) {
      return
    }
    const pending = this.#pending
    this.#pending = []
    for (const value of pending) {
      this.#drop(value)
    }
  }

  #drop(value: string): void {
    for (const form of secretForms(value, this.#caseInsensitive)) {
      const n = this.#counts.get(form)
      if (n === undefined) {
        continue
      }
      if (n > 1) {
        this.#counts.set(form, n - 1)
        continue
      }
      this.#counts.delete(form)
      const key = keyAt(form, 0)
      const bucket = this.#buckets.get(key)
      const at = bucket?.indexOf(form) ?? -1
      if (bucket !== undefined && at >= 0) {
        bucket.splice(at, 1)
        if (bucket.length === 0) {
          this.#buckets.delete(key)
        }
      }
    }
  }

  /**
   * Where secrets lie in `text`, overlapping occurrences merged: a secret that starts inside
   * another is covered to its own end, so no part of either stays readable.
   */
  spans(text: string): SecretSpan[] {
    const out: SecretSpan[] = []
    if (this.#counts.size === 0) {
      return out
    }
    for (let i = 0; i + MIN_SECRET_LENGTH <= text.length; i++) {
      const bucket = this.#buckets.get(keyAt(text, i))
      // Longest first: the first form that matches here is the longest one.
      const hit = bucket?.find((form) => text.startsWith(form, i))
      if (hit === undefined) {
        continue
      }
      const end = i + hit.length
      const last = out.at(-1)
      if (last !== undefined && i <= last.end) {
        last.end = Math.max(last.end, end)
      } else {
        out.push({ start: i, end })
      }
    }
    return out
  }

  /** `text` with every secret replaced by [redacted]. */
  redact(text: string): string {
    const spans = this.spans(text)
    if (spans.length === 0) {
      return text
    }
    let out = ''
    let at = 0
    for (const s of spans) {
      out += text.slice(at, s.start) + REDACTED
      at = s.end
    }
    return out + text.slice(at)
  }
}
