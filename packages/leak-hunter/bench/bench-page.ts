import type { BenchAccount } from './bench-accounts.js'

const FILLER = Array.from(
  { length: 12 },
  (_, i) =>
    `<p class="n${i}">Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua.</p>`
).join('\n')

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/'/g, '&#39;')
}

/** The ~2 KB personalised home page the fixture server returns. */
export function benchPage(a: BenchAccount): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>Home</title></head><body>
<header><nav><a href="/">Home</a> <a href="/profile">Profile</a></nav>
<h1>Welcome, <!-- -->${escape(a.displayName)}</h1><p>${a.email} · user ${a.userId}</p></header>
<main>${FILLER}</main></body></html>`
}
