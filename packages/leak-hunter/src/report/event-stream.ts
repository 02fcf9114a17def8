import { createWriteStream } from 'node:fs'
import type { WriteStream } from 'node:fs'
import type { HuntEvent } from './types.js'

export interface EventWriter {
  /** Queues one event as one NDJSON line; never throws (a write error surfaces from close()). */
  write(event: HuntEvent): void
  /** Flushes and closes the file; rejects with the first write error, if any. */
  close(): Promise<void>
}

/** One event as one line of NDJSON (JSON.stringify never emits a raw newline). */
export function formatEvent(event: HuntEvent): string {
  return `${JSON.stringify(event)}\n`
}

/**
 * Opens `path` for writing (truncating it) and resolves once it is open, so a bad path fails before
 * the hunt starts. Writes are buffered by the stream; close() waits until everything is on disk.
 */
export async function createEventWriter(path: string): Promise<EventWriter> {
  const stream = createWriteStream(path, { flags: 'w' })
  let failure: Error | undefined
  stream.on('error', (err) => {
    failure ??= err
  })
  await new Promise<void>((resolve, reject) => {
    stream.once('ready', () => resolve())
    stream.once('error', reject)
  })
  return {
    write(event) {
      if (failure === undefined && !stream.destroyed) {
        stream.write(formatEvent(event))
      }
    },
    close: () => closeStream(stream, () => failure),
  }
}

function closeStream(stream: WriteStream, failure: () => Error | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (): void => {
      const err = failure()
      if (err === undefined) {
        resolve()
      } else {
        reject(err)
      }
    }
    if (stream.destroyed || stream.closed) {
      done()
      return
    }
    stream.end(() => done())
    stream.once('error', () => done())
  })
}
