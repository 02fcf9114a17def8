// Synthetic but realistic identities for the benches: distinct "First M. Last" names, emails,
// numeric user ids.
const FIRST =
  'Mary John Ana Luis Wei Fatima Olga Kenji Amara Pierre Sofia Noah Liam Emma Ava Mia Lucas Chloe Omar Zara Ivan Nina Hugo Lena Aiko Ravi Maya Theo Iris Felix Nora Leo Ines Arjun Elif Tariq Yara Jonas Elena Marco'.split(
    ' '
  )
const LAST =
  'Smith Garcia Chen Okafor Novak Tanaka Silva Dubois Kowalski Haddad Larsen Rossi Moreau Nguyen Patel Kim Schmidt Fischer Weber Costa Santos Ivanova Berg Lindqvist Murphy Kelly Walsh Byrne Ryan Doyle Rahman Hussain Ali Ahmed Mensah Boateng Adeyemi Mwangi Otieno Kamau'.split(
    ' '
  )
const INITIALS = 'ABCDEFGHJKLMNPRSTVWXYZ'

export interface BenchIdentity {
  id: number
  markers: { displayName: string; email: string; userId: number }
}

export function identity(i: number): BenchIdentity {
  const first = FIRST[i % FIRST.length]!
  const last = LAST[Math.floor(i / FIRST.length) % LAST.length]!
  const round = Math.floor(i / (FIRST.length * LAST.length))
  const middle = `${INITIALS[round % INITIALS.length]}${round >= INITIALS.length ? INITIALS[Math.floor(round / INITIALS.length) % INITIALS.length] : ''}.`
  const displayName = `${first} ${middle} ${last}`
  return {
    id: 1000 + i,
    markers: {
      displayName,
      email: `${first}.${last}.${1000 + i}@example.com`.toLowerCase(),
      userId: 1000 + i,
    },
  }
}

/** A home-page-like body (about 10 KB) for identity `i`. */
export function page(owner: BenchIdentity): string {
  const items = Array.from(
    { length: 40 },
    (_, k) => `<li data-item-id="${k}">Private item ${k} of this account, with some text</li>`
  ).join('')
  return (
    `<!doctype html><html><head><title>Home</title></head><body><main><h1>Welcome, ${owner.markers.displayName}</h1>` +
    `<dl><dt>Email</dt><dd>${owner.markers.email}</dd></dl><ul>${items}</ul></main>` +
    `<script type="application/json" id="data">${JSON.stringify({ ...owner.markers, items: [] })}</script></body></html>`
  ).repeat(2)
}
