// The element names html-tree.ts treats specially, from the WHATWG parsing rules, and one flag
// word per name so that the tree builder looks a tag up once.

export const set = (s: string): ReadonlySet<string> => new Set(s.split(' '))
export const NONE: ReadonlySet<string> = new Set()

const singles = new Map<string, ReadonlySet<string>>()
/** A one-name set, made once per name. */
export function set1(name: string): ReadonlySet<string> {
  let s = singles.get(name)
  if (s === undefined) {
    s = new Set([name])
    singles.set(name, s)
  }
  return s
}

export const VOID = set(
  'area base basefont bgsound br col embed frame hr img input keygen link meta param source track wbr'
)
const RAW_TEXT = set('script style xmp iframe noembed noframes noscript textarea title plaintext')
/** Start tags that close an open <p> (in button scope). */
const CLOSES_P = set(
  'address article aside blockquote center details dialog dir div dl fieldset figcaption figure footer form header hgroup hr main menu nav ol p pre listing search section summary table ul xmp plaintext h1 h2 h3 h4 h5 h6 dd dt li'
)
export const HEADINGS = set('h1 h2 h3 h4 h5 h6')
/** Special elements: a <li>, <dd> or <dt> does not close one of its kind beyond them. */
export const SPECIAL = set(
  'applet area article aside base basefont bgsound blockquote body br button caption center col colgroup dd details dir div dl dt embed fieldset figcaption figure footer form frame frameset h1 h2 h3 h4 h5 h6 head header hgroup hr html iframe img input keygen li link listing main marquee menu meta nav noembed noframes noscript object ol p param plaintext pre script search section select source style summary table tbody td template textarea tfoot th thead title tr track ul wbr xmp'
)
/** Start tags that leave <svg>/<math> content (the spec's breakout list). */
const BREAKOUT = set(
  'b big blockquote body br center code dd div dl dt em embed h1 h2 h3 h4 h5 h6 head hr i img li listing menu meta nobr ol p pre ruby s small span strong strike sub sup table tt u ul var'
)
export const P = set('p')
export const FORM = set('form')
export const BODY = set('body')
export const IMPLIED_END = set('dd dt li optgroup option p rb rp rt rtc')
/** Foreign elements whose content is HTML again. */
export const SVG_INTEGRATION = set('foreignobject desc title')
export const MATH_INTEGRATION = set('mi mo mn ms mtext annotation-xml')
export const FORMATTING = set('a b big code em font i nobr s small strike strong tt u')
/** End tags that close their element when it is open in scope (the rest: above any special). */
export const SCOPED_END = set(
  'address article aside blockquote button center details dialog dir div dl fieldset figcaption figure footer header hgroup listing main menu nav ol pre search section summary ul form li dd dt p applet marquee object table tbody thead tfoot tr td th caption'
)
export const DEFAULT_SCOPE = set('applet caption html table td th marquee object template')
export const LIST_SCOPE = set('applet caption html table td th marquee object template ol ul')
export const BUTTON_SCOPE = set('applet caption html table td th marquee object template button')
export const TABLE_SCOPE = set('html table template')
export const TABLE_PARTS = set('table tbody thead tfoot tr td th caption')
export const TABLE = set('table')
export const CAPTION = set('caption')
export const TABLE_MODES = set('table tbody thead tfoot tr td th caption template')
export const CELLS = set('td th caption template')
export const CELL_TAGS = set('td th')
export const ROW_TAGS = set('tr td th')
export const TABLE_GROUPS = set('tr tbody thead tfoot')
export const SELECT = set('select')
export const END_IN_SELECT = set('option optgroup select template script')
export const IN_SELECT = set('option optgroup hr select script template')
/** Start tags that end an open <select> (then count as usual)... */
export const LEAVES_SELECT = set('input keygen textarea')
/** ...and, when the select is in a table, these. */
export const LEAVES_SELECT_IN_TABLE = set('caption table tbody tfoot thead tr td th')
/** A table part first closes what is open in its table, row group or row. */
export const TABLE_CONTEXT = new Map<string, ReadonlySet<string>>([
  ['td', set('tr table')],
  ['th', set('tr table')],
  ['tr', set('tbody thead tfoot table')],
  ...['tbody', 'thead', 'tfoot', 'caption', 'colgroup', 'col'].map(
    (n): [string, ReadonlySet<string>] => [n, TABLE]
  ),
])

const ALL_SPECIAL_BUT = (keep: string): ReadonlySet<string> =>
  new Set([...SPECIAL].filter((s) => !keep.split(' ').includes(s)))
/** A start tag that closes an open element of its kind, unless a `stop` element is in between. */
export const SAME_KIND = new Map<string, { names: ReadonlySet<string>; stop: ReadonlySet<string> }>(
  [
    ['li', { names: set('li'), stop: ALL_SPECIAL_BUT('address div p li') }],
    ['dd', { names: set('dd dt'), stop: ALL_SPECIAL_BUT('address div p dd dt') }],
    ['dt', { names: set('dd dt'), stop: ALL_SPECIAL_BUT('address div p dd dt') }],
    ['a', { names: set('a'), stop: set('template td th caption applet object marquee') }],
    ['nobr', { names: set('nobr'), stop: BUTTON_SCOPE }],
    ['button', { names: set('button'), stop: DEFAULT_SCOPE }],
    ['table', { names: set('table'), stop: set('td th caption template') }],
    ['rt', { names: set('rt rp rb'), stop: set('ruby') }],
    ['rp', { names: set('rt rp rb'), stop: set('ruby') }],
    ['rb', { names: set('rt rp rb rtc'), stop: set('ruby') }],
    ['rtc', { names: set('rt rp rb rtc'), stop: set('ruby') }],
    ['head', { names: set('head'), stop: NONE }],
    ['body', { names: set('head'), stop: NONE }],
  ]
)

export const IS_VOID = 1
export const IS_RAW = 2
export const ENDS_P = 4
export const HEADING = 8
export const KIN = 16
export const BREAKS_OUT = 32
export const ENDS_SELECT = 64
export const OPTION = 128

/** One lookup per tag instead of one per set. */
export const FLAGS = new Map<string, number>()
const flag = (names: Iterable<string>, bit: number): void => {
  for (const name of names) {
    FLAGS.set(name, (FLAGS.get(name) ?? 0) | bit)
  }
}
flag(VOID, IS_VOID)
flag(RAW_TEXT, IS_RAW)
flag(CLOSES_P, ENDS_P)
flag(HEADINGS, HEADING)
flag(SAME_KIND.keys(), KIN)
flag(BREAKOUT, BREAKS_OUT)
flag([...LEAVES_SELECT, ...LEAVES_SELECT_IN_TABLE], ENDS_SELECT)
flag(['option', 'optgroup', 'hr'], OPTION)
