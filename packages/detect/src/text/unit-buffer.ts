// Normalised text as UTF-16 code units in one reused typed array: the detector normalises and
// scans every body without building a string; one is made only for evidence or an allowlist.

/** fromCharCode.apply takes its arguments on the stack: convert in slices this long. */
const SLICE = 8192

/** Normalised text: `units[0, length)`. */
export interface TextView {
  readonly units: Uint16Array
  readonly length: number
}

export class UnitBuffer implements TextView {
  units: Uint16Array
  length = 0

  constructor(capacity = 4096) {
    this.units = new Uint16Array(capacity)
  }

  /** Makes room for `capacity` units, keeping the first `length`; returns the (new) array. */
  reserve(capacity: number): Uint16Array {
    if (capacity > this.units.length) {
      const grown = new Uint16Array(Math.max(capacity, this.units.length * 2))
      grown.set(this.units.subarray(0, this.length))
      this.units = grown
    }
    return this.units
  }

  /** Replaces the content with `text`'s code units. */
  setString(text: string): void {
    const units = this.reserve(text.length)
    for (let i = 0; i < text.length; i++) {
      units[i] = text.charCodeAt(i)
    }
    this.length = text.length
  }

  /** The content as a string; lone surrogates are kept as they are (TextDecoder would replace them). */
  toString(): string {
    let out = ''
    for (let i = 0; i < this.length; i += SLICE) {
      const slice = this.units.subarray(i, Math.min(this.length, i + SLICE))
      out += String.fromCharCode.apply(null, slice as unknown as number[])
    }
    return out
  }
}
