// Realistic, distinct display names. The first few are chosen to stress leak detection: names
// with apostrophes and accents, and names that contain other names ("Ann Lee" in "Ann Leeds").
import { HomeBadOptionError } from '../errors.js'
import type { Prng } from './prng.js'

export const FIRST_NAMES: readonly string[] = (
  'Ann|Mary|José|Zoë|Seán|Siobhán|François|Chloé|Renée|Björn|Søren|Ana|Anna|Joanna|' +
  'Annabel|John|Jon|Jonathan|Maria|Marie|Mariana|Luis|Luisa|Ángel|Inés|Noël|Joël|' +
  'Åsa|Maëlle|Jürgen|Dmitri|Olga|Aoife|Niamh|Ciarán|Eoin|Padraig|Wei|Mei|Hiroshi|' +
  'Yuki|Priya|Arjun|Fatima|Omar|Aisha|Kwame|Amara|Chidi|Ngozi|Lars|Ingrid|Henrik|' +
  'Astrid|Matteo|Giulia|Lorenzo|Chiara|Pierre|Amélie|Hélène|Jérôme|Thiago|Camila|' +
  'Mateo|Valentina|Sofia|Liam|Olivia|Noah|Emma|Ava|Ethan|Mia|Lucas|Isla|Oscar|' +
  'Freya|Dylan|Rhys|Cerys|Gwen|Tomasz|Zofia|Kateřina|Václav|Đorđe|Ivana|Mehmet|' +
  'Ayşe|Leila|Reza|Nadia|Samuel|Sam|Samantha|Lee|Dee|Kofi|Ewa'
).split('|')

export const LAST_NAMES: readonly string[] = (
  "Lee|Leeds|Smith|Smithson|O'Brien|O'Neill|D'Angelo|Núñez|Müller|García|Martínez|" +
  'Fernández|Gómez|López|Pérez|Sánchez|Jørgensen|Åkesson|Öztürk|Dvořák|Novák|' +
  'Kowalski|Wiśniewski|Nguyễn|Tran|Kim|Park|Chen|Wang|Li|Tanaka|Suzuki|Sato|Patel|' +
  'Sharma|Singh|Okafor|Mensah|Diallo|Hassan|Haddad|Cohen|Levi|Rossi|Russo|Bianchi|' +
  'Dubois|Lefèvre|Moreau|Girard|Schmidt|Schneider|Fischer|Weber|Meyer|Wagner|' +
  'Becker|Hoffmann|Johansson|Andersson|Nilsson|Larsen|Hansen|Jensen|Murphy|Kelly|' +
  "Byrne|Walsh|O'Connor|McCarthy|MacDonald|Campbell|Stewart|Jones|Williams|Brown|" +
  'Taylor|Davies|Evans|Thomas|Roberts|Johnson|Anderson|Anders|Wilson|Moore|Martin|' +
  'Jackson|White|Harris|Clark|Lewis|Lewison|Young|Allen|King|Kingsley|Wright|Hill|' +
  'Hillman'
).split('|')

// Placed first so even a small seed contains every tricky case.
const FEATURED: readonly string[] = [
  'Mary Smith',
  'Ann Lee',
  'Ann Leeds',
  'José Núñez',
  "Seán O'Brien",
  'Zoë Åkesson',
  'Mary Smithson',
  "Siobhán O'Neill",
  'Anna Lee',
  "Renée D'Angelo",
]

const INITIALS = 'ABCDEFGHJKLMNPRSTVW'

/** `count` distinct display names; deterministic for a given PRNG state. */
export function displayNames(count: number, prng: Prng): string[] {
  const seen = new Set<string>()
  const out: string[] = []
  const add = (name: string): void => {
    if (out.length < count && !seen.has(name)) {
      seen.add(name)
      out.push(name)
    }
  }
  FEATURED.forEach(add)
  // Visit every first x last pair once, in a shuffled order.
  const pairs = FIRST_NAMES.length * LAST_NAMES.length
  const order = Array.from({ length: pairs }, (_, i) => i)
  for (let i = order.length - 1; i > 0; i--) {
    const j = prng.int(i + 1)
    ;[order[i], order[j]] = [order[j] as number, order[i] as number]
  }
  for (const k of order) {
    if (out.length >= count) {
      break
    }
    add(`${FIRST_NAMES[k % FIRST_NAMES.length]} ${LAST_NAMES[Math.floor(k / FIRST_NAMES.length)]}`)
  }
  // Beyond the pairs, middle initials keep names distinct and realistic.
  for (let i = 0; out.length < count && i < pairs * INITIALS.length; i++) {
    const k = order[i % pairs] as number
    const initial = INITIALS[Math.floor(i / pairs)] ?? ''
    const first = FIRST_NAMES[k % FIRST_NAMES.length] ?? ''
    add(`${first} ${initial}. ${LAST_NAMES[Math.floor(k / FIRST_NAMES.length)] ?? ''}`)
  }
  if (out.length < count) {
    throw new HomeBadOptionError(`at most ${out.length} distinct names are available`)
  }
  return out
}

/** ASCII slug for usernames and email local parts; keeps apostrophes in emails only. */
export function asciiFold(value: string): string {
  return value
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replaceAll('ø', 'o')
    .replaceAll('Ø', 'O')
    .replaceAll('đ', 'd')
    .replaceAll('Đ', 'D')
    .toLowerCase()
}
