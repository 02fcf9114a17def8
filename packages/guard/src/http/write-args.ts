// The overloads of ServerResponse write(), end() and writeHead(), reduced to one shape.
import type { OutgoingHttpHeaders, ServerResponse } from 'node:http'

export type Callback = (err?: Error | null) => void

export interface WriteArgs {
  chunk: Buffer | undefined
  callback: Callback | undefined
}

/** write(chunk, [encoding], [cb]) and end([chunk], [encoding], [cb]) as bytes and a callback. */
export function writeArgs(chunk: unknown, encoding: unknown, callback: unknown): WriteArgs {
  if (typeof chunk === 'function') {
    return { chunk: undefined, callback: chunk as Callback }
  }
  const cb =
    typeof encoding === 'function'
      ? (encoding as Callback)
      : typeof callback === 'function'
        ? (callback as Callback)
        : undefined
  const enc = typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8'
  if (chunk === undefined || chunk === null) {
    return { chunk: undefined, callback: cb }
  }
  if (typeof chunk === 'string') {
    return { chunk: Buffer.from(chunk, enc), callback: cb }
  }
  if (Buffer.isBuffer(chunk)) {
    return { chunk, callback: cb }
  }
  if (chunk instanceof Uint8Array) {
    return { chunk: Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength), callback: cb }
  }
  // What Node itself would refuse: let the real write() throw its own ERR_INVALID_ARG_TYPE.
  throw Object.assign(
    new TypeError(
      'The "chunk" argument must be of type string or an instance of Buffer or Uint8Array'
    ),
    {
      code: 'ERR_INVALID_ARG_TYPE',
    }
  )
}

/** Applies writeHead(status, [message], [headers]) to `res` without sending anything. */
export function applyWriteHead(
  res: ServerResponse,
  status: unknown,
  message: unknown,
  headers: unknown
): void {
  res.statusCode = Number(status)
  let fields = headers
  if (typeof message === 'string') {
    res.statusMessage = message
  } else {
    fields = message
  }
  if (fields === undefined || fields === null) {
    return
  }
  if (Array.isArray(fields)) {
    // [[name, value], ...] or the flat [name, value, name, value] form.
    const pairs: Array<[string, string]> = Array.isArray(fields[0])
      ? (fields as Array<[string, string]>)
      : Array.from(
          { length: fields.length / 2 },
          (_, i) => [String(fields[2 * i]), String(fields[2 * i + 1])] as [string, string]
        )
    const grouped = new Map<string, string[]>()
    for (const [name, value] of pairs) {
      const key = name.toLowerCase()
      grouped.set(key, [...(grouped.get(key) ?? []), value])
    }
    for (const [name, values] of grouped) {
      res.setHeader(name, values.length === 1 ? (values[0] as string) : values)
    }
    return
  }
  for (const [name, value] of Object.entries(fields as OutgoingHttpHeaders)) {
    if (value !== undefined) {
      res.setHeader(name, value)
    }
  }
}
