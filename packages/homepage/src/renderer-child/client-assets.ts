import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** Absolute path of the built client bundle (scripts/build-client.mjs), served at /assets/. */
export const clientAssetsDir: string = fileURLToPath(new URL('../../dist/public/', import.meta.url))

export interface ClientAssets {
  /** URL path of the hydration bundle. */
  script: string
  /** URL path of the stylesheet, if built. */
  style: string | null
}

interface Manifest {
  script?: unknown
  style?: unknown
}

// Hashed file names come from the build's manifest; without a build the page still works
// server-side (no hydration), which is what the no-JavaScript path needs anyway.
export function readClientAssets(dir: string = clientAssetsDir): ClientAssets {
  let manifest: Manifest
  try {
    manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Manifest
  } catch {
    manifest = {}
  }
  const script = typeof manifest.script === 'string' ? manifest.script : 'hydrate.js'
  const style = typeof manifest.style === 'string' ? manifest.style : null
  return Object.freeze({
    script: `/assets/${script}`,
    style: style === null ? null : `/assets/${style}`,
  })
}
