// The page and options the detect benchmarks scan: a 2 KB page naming its owner, like leak-hunter's
// bench page, with the fixture identities' columns.
import type { Identity, IndexOptions } from '../src/types.js'

export const BENCH_OPTIONS: IndexOptions = {
  columns: ['name', 'email'],
  ids: [{ column: 'userId', json: ['userId'], pathSegments: ['users'] }],
}

export function benchPage(owner: Identity, token = 'f3a9c0d1e2b4a5c6'): string {
  const filler = '<p>Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod.</p>\n'
  return (
    `<!doctype html><html><head><meta name="csrf-token" content="${token}"></head><body>\n` +
    `<header>Welcome, ${owner.markers.name as string} (<a href="/users/${owner.markers.userId as string}/">${owner.markers.email as string}</a>)</header>\n` +
    filler.repeat(22) +
    `<script>window.__STATE__={"userId":${owner.markers.userId as string},"items":[1,2,3]}</script></body></html>\n`
  )
}
