// Which recorded requests become steps: the target origin's documents and API calls, without
// static assets, preflights, aborted requests or anything after a logout.
import type { InitNote } from '../draft.js'
import type { HarEntry } from './read-har.js'

const ASSET_TYPES = new Set([
  'script',
  'stylesheet',
  'image',
  'font',
  'media',
  'manifest',
  'texttrack',
  'ping',
  'beacon',
  'csp_violation_report',
])
const ASSET_MIME =
  /^(text\/css|(application|text)\/(x-)?javascript|application\/wasm|application\/manifest\+json|image\/|font\/|audio\/|video\/)/i
const ASSET_PATH =
  /\.(m?js|css|map|png|jpe?g|gif|svg|ico|webp|avif|woff2?|ttf|otf|eot|mp4|webm|mp3|wasm)$/i
const LOGOUT_PATH = /\/(log-?out|sign-?out|logoff)\b/i

export function isAsset(e: HarEntry): boolean {
  if (e.resourceType !== undefined && ASSET_TYPES.has(e.resourceType)) {
    return true
  }
  const mime =
    e.responseMimeType || (e.responseHeaders.find(([n]) => n === 'content-type')?.[1] ?? '')
  return ASSET_MIME.test(mime) || ASSET_PATH.test(e.url.pathname)
}

export function isLogout(e: HarEntry): boolean {
  return LOGOUT_PATH.test(e.url.pathname)
}

export interface Selection {
  entries: HarEntry[]
  notes: InitNote[]
}

/** Keep `origin`'s requests worth replaying; say what was left out. */
export function selectEntries(all: readonly HarEntry[], origin: string): Selection {
  const notes: InitNote[] = []
  const kept: HarEntry[] = []
  let otherOrigins = 0
  let assets = 0
  let skipped = 0
  for (const e of all) {
    if (e.url.origin !== origin) {
      otherOrigins++
    } else if (e.status === 0 || e.method === 'OPTIONS' || e.method === 'CONNECT') {
      skipped++
    } else if (isAsset(e)) {
      assets++
    } else if (isLogout(e)) {
      const after = all.length - 1 - all.indexOf(e)
      notes.push({
        kind: 'guessed',
        text: `${e.method} ${e.url.pathname} looks like a logout: left out${after === 1 ? ', with the request after it' : after > 1 ? `, with the ${after} requests after it` : ''} (a VU stays logged in for the whole run)`,
      })
      break
    } else {
      kept.push(e)
    }
  }
  const dropped = [
    otherOrigins > 0 ? `${otherOrigins} to other origins (only ${origin} is requested)` : '',
    assets > 0 ? `${assets} static assets (scripts, styles, images, fonts)` : '',
    skipped > 0 ? `${skipped} preflights or aborted requests` : '',
  ].filter((s) => s !== '')
  if (dropped.length > 0) {
    notes.push({ kind: 'guessed', text: `left out ${dropped.join(', ')}` })
  }
  return { entries: kept, notes }
}
