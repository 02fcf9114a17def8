// A reader that goes away (`leak-hunter run … | head -3`) must not crash the run or change its
// exit code: output to that stream is dropped from then on.
import type { Writable } from 'node:stream'

const GONE = new Set(['EPIPE', 'ERR_STREAM_DESTROYED'])

/** Swallow EPIPE on `stream` (and writes after it); any other stream error still throws. */
export function dropOutputWhenReaderGoes(stream: Writable): void {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (!GONE.has(err.code ?? '')) {
      throw err
    }
  })
}
