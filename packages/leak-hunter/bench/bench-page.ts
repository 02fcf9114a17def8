import type { BenchAccount } from './bench-accounts.js'

const FILLER = Array.from(
  { length: 12 },
  (_, i) =>
    `<p class="n${i}">Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua.</p>`
).join('\n')

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/'/g, '&#39;')
}

/**
 * The ~2 KB personalised home page the fixture server returns. Like a real page it changes on every
 * response, not only per user: a fresh CSRF token in the head, the render time in the footer.
 */
export function benchPage(a: BenchAccount, csrf: string, renderedAt: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>Home</title>
<meta name="csrf-token" content="${csrf}"></head><body>
<header><nav><a href="/">Home</a> <a href="/profile">Profile</a></nav>
<h1>Welcome, <!-- -->${escape(a.displayName)}</h1><p>${a.email} · <a href="/users/${a.userId}/">user ${a.userId}</a></p></header>
<main>${FILLER}</main>
<footer>Rendered at ${renderedAt}</footer></body></html>`
}
