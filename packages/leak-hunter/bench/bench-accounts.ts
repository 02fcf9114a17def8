// Deterministic benchmark accounts: unique display names, e-mails and ids, as a CSV for leak-hunter.

export interface BenchAccount {
  username: string
  displayName: string
  email: string
  userId: string
}

const FIRST = [
  'Mary',
  'John',
  'Ann',
  'Lee',
  'Patricia',
  'Robert',
  'Jennifer',
  'Michael',
  'Linda',
  'William',
  'Elizabeth',
  'David',
  'Barbara',
  'Richard',
  'Susan',
  'Joseph',
  'Jessica',
  'Thomas',
  'Sarah',
  'Charles',
  'Karen',
  'Daniel',
  'Nancy',
  'Matthew',
  'Lisa',
  'Anthony',
  'Betty',
  'Mark',
  'Sandra',
  'Donald',
  'Ashley',
  'Steven',
  'Kimberly',
  'Paul',
  'Emily',
  'Andrew',
  'Donna',
  'Joshua',
  'Michelle',
  'Kenneth',
  'Carol',
  'Kevin',
  'Amanda',
  'Brian',
  'Melissa',
  'George',
  'Deborah',
  'Timothy',
  'Zoë',
  'José',
]
const LAST = [
  'Smith',
  'Johnson',
  'Williams',
  'Brown',
  'Jones',
  'Garcia',
  'Miller',
  'Davis',
  'Rodriguez',
  'Martinez',
  'Hernandez',
  'Lopez',
  'Gonzalez',
  'Wilson',
  'Anderson',
  'Thomas',
  'Taylor',
  'Moore',
  'Jackson',
  'Martin',
  'Lee',
  'Perez',
  'Thompson',
  'White',
  'Harris',
  'Sanchez',
  'Clark',
  'Ramirez',
  'Lewis',
  'Robinson',
  'Walker',
  'Young',
  'Allen',
  'King',
  'Wright',
  'Scott',
  'Torres',
  'Nguyen',
  'Hill',
  'Flores',
  'Green',
  'Adams',
  'Nelson',
  'Baker',
  'Hall',
  'Rivera',
  'Campbell',
  "O'Brien",
  'Müller',
  'Leeds',
]

/**
 * The bench's markers: name and e-mail as free text; the numeric user id only where the page
 * says it is one (its profile link, /users/<id>/), since as free text a number is noise.
 */
export const BENCH_MARKERS = {
  columns: ['displayName', 'email'],
  ids: [{ column: 'userId', json: [], attributes: [], pathSegments: ['users'] }],
}

export function makeBenchAccounts(count: number): BenchAccount[] {
  const out: BenchAccount[] = []
  for (let i = 0; i < count; i++) {
    const first = FIRST[i % FIRST.length] ?? 'Ann'
    const last = LAST[Math.floor(i / FIRST.length) % LAST.length] ?? 'Lee'
    const initial = String.fromCharCode(65 + (Math.floor(i / (FIRST.length * LAST.length)) % 26))
    out.push({
      username: `user${i}`,
      displayName: `${first} ${initial}. ${last}`,
      email: `user${i}@bench.example`,
      userId: String(100_000 + i),
    })
  }
  return out
}

export function accountsCsv(accounts: readonly BenchAccount[]): string {
  const quote = (v: string): string => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v)
  const rows = accounts.map((a) =>
    [a.username, a.displayName, a.email, a.userId].map(quote).join(',')
  )
  return ['username,displayName,email,userId', ...rows].join('\n') + '\n'
}
