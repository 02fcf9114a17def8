// Read a HAR 1.2 file (Chromium DevTools, Firefox, Playwright's recordHar) into plain entries.
import { readFile } from 'node:fs/promises'
import { HarInvalidError } from '../../errors.js'

export interface HarEntry {
  /** Position in the recording, in start order. */
  index: number
  method: string
  url: URL
  /** Lower-cased names, in recorded order. */
  requestHeaders: Array<[string, string]>
  postData: { mimeType: string; text: string } | undefined
  status: number
  responseHeaders: Array<[string, string]>
  /** The response body as text ('' when the recording left it out). */
  responseBody: string
  responseMimeType: string
  /** Chromium's and Playwright's resource type (document, xhr, fetch, script, …) when recorded. */
  resourceType: string | undefined
}

type Obj = Record<string, unknown>

const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v)

function headers(value: unknown, where: string): Array<[string, string]> {
  if (!Array.isArray(value)) {
    throw new HarInvalidError(`${where}: expected a list of headers`)
  }
  return value
    .filter((h): h is Obj => isObj(h) && typeof h.name === 'string' && typeof h.value === 'string')
    .map((h) => [(h.name as string).toLowerCase(), h.value as string])
}

function body(content: unknown): string {
  if (!isObj(content) || typeof content.text !== 'string') {
    return ''
  }
  return content.encoding === 'base64'
    ? Buffer.from(content.text, 'base64').toString('utf8')
    : content.text
}

export function parseHar(text: string, file: string): HarEntry[] {
  let har: unknown
  try {
    har = JSON.parse(text)
  } catch (err) {
    throw new HarInvalidError(`${file} is not JSON: ${(err as Error).message}`, { cause: err })
  }
  const log = isObj(har) ? har.log : undefined
  if (!isObj(log) || !Array.isArray(log.entries)) {
    throw new HarInvalidError(
      `${file} is not a HAR recording: expected { "log": { "entries": [...] } }`
    )
  }
  const entries = log.entries.map((e: unknown, i): HarEntry & { started: number } => {
    const where = `${file}: log.entries[${i}]`
    if (!isObj(e) || !isObj(e.request) || !isObj(e.response)) {
      throw new HarInvalidError(`${where}: expected an entry with request and response`)
    }
    const { request, response } = e
    if (typeof request.method !== 'string' || typeof request.url !== 'string') {
      throw new HarInvalidError(`${where}.request: expected method and url`)
    }
    let url: URL
    try {
      url = new URL(request.url)
    } catch {
      throw new HarInvalidError(`${where}.request.url: not an absolute URL: ${request.url}`)
    }
    const post = isObj(request.postData) ? request.postData : undefined
    const content = isObj(response.content) ? response.content : {}
    return {
      index: i,
      started: typeof e.startedDateTime === 'string' ? Date.parse(e.startedDateTime) : NaN,
      method: request.method.toUpperCase(),
      url,
      requestHeaders: headers(request.headers ?? [], `${where}.request.headers`),
      postData:
        post === undefined
          ? undefined
          : {
              mimeType: typeof post.mimeType === 'string' ? post.mimeType : '',
              text: typeof post.text === 'string' ? post.text : '',
            },
      status: typeof response.status === 'number' ? response.status : 0,
      responseHeaders: headers(response.headers ?? [], `${where}.response.headers`),
      responseBody: body(content),
      responseMimeType: typeof content.mimeType === 'string' ? content.mimeType : '',
      resourceType: typeof e._resourceType === 'string' ? e._resourceType : undefined,
    }
  })
  // Recorders write entries roughly in order; sort by start time, keeping file order on ties.
  entries.sort(
    (a, b) =>
      (Number.isNaN(a.started) || Number.isNaN(b.started) ? 0 : a.started - b.started) ||
      a.index - b.index
  )
  return entries.map(({ started: _started, ...entry }, index) => ({ ...entry, index }))
}

export async function readHar(file: string): Promise<HarEntry[]> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (err) {
    throw new HarInvalidError(`cannot read ${file}: ${(err as Error).message}`, { cause: err })
  }
  return parseHar(text, file)
}
