// The named entities real pages use for names and e-mail addresses: all of HTML 4 Latin-1, the common
// punctuation, and the Latin Extended-A letters of European surnames. Unknown names are left as text.

const LATIN1 =
  'nbsp iexcl cent pound curren yen brvbar sect uml copy ordf laquo not shy reg macr deg plusmn sup2 ' +
  'sup3 acute micro para middot cedil sup1 ordm raquo frac14 frac12 frac34 iquest Agrave Aacute Acirc ' +
  'Atilde Auml Aring AElig Ccedil Egrave Eacute Ecirc Euml Igrave Iacute Icirc Iuml ETH Ntilde Ograve ' +
  'Oacute Ocirc Otilde Ouml times Oslash Ugrave Uacute Ucirc Uuml Yacute THORN szlig agrave aacute ' +
  'acirc atilde auml aring aelig ccedil egrave eacute ecirc euml igrave iacute icirc iuml eth ntilde ' +
  'ograve oacute ocirc otilde ouml divide oslash ugrave uacute ucirc uuml yacute thorn yuml'

const OTHERS: Record<string, number> = {
  quot: 0x22,
  amp: 0x26,
  apos: 0x27,
  lt: 0x3c,
  gt: 0x3e,
  commat: 0x40,
  period: 0x2e,
  lowbar: 0x5f,
  hyphen: 0x2010,
  dash: 0x2010,
  Amacr: 0x100,
  amacr: 0x101,
  Abreve: 0x102,
  abreve: 0x103,
  Aogon: 0x104,
  aogon: 0x105,
  Cacute: 0x106,
  cacute: 0x107,
  Ccaron: 0x10c,
  ccaron: 0x10d,
  Dcaron: 0x10e,
  dcaron: 0x10f,
  Dstrok: 0x110,
  dstrok: 0x111,
  Emacr: 0x112,
  emacr: 0x113,
  Edot: 0x116,
  edot: 0x117,
  Eogon: 0x118,
  eogon: 0x119,
  Ecaron: 0x11a,
  ecaron: 0x11b,
  Gbreve: 0x11e,
  gbreve: 0x11f,
  Imacr: 0x12a,
  imacr: 0x12b,
  Idot: 0x130,
  imath: 0x131,
  inodot: 0x131,
  Lstrok: 0x141,
  lstrok: 0x142,
  Nacute: 0x143,
  nacute: 0x144,
  Ncaron: 0x147,
  ncaron: 0x148,
  Omacr: 0x14c,
  omacr: 0x14d,
  Odblac: 0x150,
  odblac: 0x151,
  OElig: 0x152,
  oelig: 0x153,
  Rcaron: 0x158,
  rcaron: 0x159,
  Sacute: 0x15a,
  sacute: 0x15b,
  Scedil: 0x15e,
  scedil: 0x15f,
  Scaron: 0x160,
  scaron: 0x161,
  Tcaron: 0x164,
  tcaron: 0x165,
  Umacr: 0x16a,
  umacr: 0x16b,
  Uring: 0x16e,
  uring: 0x16f,
  Udblac: 0x170,
  udblac: 0x171,
  Yuml: 0x178,
  Zacute: 0x179,
  zacute: 0x17a,
  Zdot: 0x17b,
  zdot: 0x17c,
  Zcaron: 0x17d,
  zcaron: 0x17e,
  fnof: 0x192,
  circ: 0x2c6,
  tilde: 0x2dc,
  ensp: 0x2002,
  emsp: 0x2003,
  thinsp: 0x2009,
  zwnj: 0x200c,
  zwj: 0x200d,
  lrm: 0x200e,
  rlm: 0x200f,
  ndash: 0x2013,
  mdash: 0x2014,
  lsquo: 0x2018,
  rsquo: 0x2019,
  sbquo: 0x201a,
  ldquo: 0x201c,
  rdquo: 0x201d,
  bdquo: 0x201e,
  dagger: 0x2020,
  Dagger: 0x2021,
  bull: 0x2022,
  hellip: 0x2026,
  permil: 0x2030,
  prime: 0x2032,
  lsaquo: 0x2039,
  rsaquo: 0x203a,
  euro: 0x20ac,
  trade: 0x2122,
  larr: 0x2190,
  rarr: 0x2192,
  NewLine: 0x0a,
  Tab: 0x09,
}

/** Windows-1252 meanings of &#128;..&#159;, which the HTML parsing spec applies to numeric refs. */
const CP1252 = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152,
  0x8d, 0x17d, 0x8f, 0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122,
  0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
]

function buildTable(): Map<string, number> {
  const table = new Map<string, number>()
  LATIN1.split(' ').forEach((name, i) => table.set(name, 160 + i))
  for (const [name, code] of Object.entries(OTHERS)) {
    table.set(name, code)
  }
  return table
}

const NAMED = buildTable()

/** The code point of `&name;` (all are single BMP characters), or -1 for a name we do not know. */
export function decodeNamedEntity(name: string): number {
  return NAMED.get(name) ?? -1
}

/** Decodes a numeric reference the way browsers do: invalid code points become U+FFFD. */
export function decodeCodePoint(code: number): number {
  if (code >= 0x80 && code <= 0x9f) {
    return CP1252[code - 0x80] ?? code
  }
  if (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) {
    return 0xfffd
  }
  return code
}
