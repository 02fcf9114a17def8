import type { Readable } from 'node:stream'

/** How much of a child's stderr is kept: enough for a stack trace, bounded per child. */
const TAIL_BYTES = 4096

/** Reads a piped stderr to its end, keeping only the last few KiB (for PoolFailingError). */
export class StderrTail {
  #chunks: Buffer[] = []
  #bytes = 0

  constructor(stream: Readable) {
    stream.on('data', (chunk: Buffer) => {
      this.#chunks.push(chunk)
      this.#bytes += chunk.length
      while (this.#bytes - (this.#chunks[0]?.length ?? 0) >= TAIL_BYTES) {
        this.#bytes -= this.#chunks.shift()!.length
      }
    })
  }

  /** The last TAIL_BYTES at most (the first line may be cut), or undefined if nothing was written. */
  text(): string | undefined {
    if (this.#bytes === 0) {
      return undefined
    }
    const all = Buffer.concat(this.#chunks)
    return all.subarray(Math.max(0, all.length - TAIL_BYTES)).toString('utf8')
  }
}
