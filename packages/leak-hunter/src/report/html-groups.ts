// The HTML report's finding groups: one row per group, its evidence in a <details> below it.
import type { Finding } from '../detect/types.js'
import { escapeHtml as e } from './html-escape.js'
import { formatInt, groupSources, inFlightShown, omittedLine } from './format.js'
import type { FindingGroup, GroupList } from './types.js'

/** Groups rendered per severity: the largest; the JSON report keeps up to its limit. */
export const HTML_GROUPS_SHOWN = { leak: 100, warning: 30 }

export function groupSection(
  severity: 'leak' | 'warning',
  list: GroupList,
  limit: number,
  counted: number
): string {
  const id = severity === 'leak' ? 'leaks' : 'warnings'
  const title = severity === 'leak' ? 'Leak findings' : 'Warnings'
  const total = list.groups.length + list.omitted.groups
  const about = list.omitted.estimated ? 'about ' : ''
  const heading = `<h2 id="${id}">${title} (${formatInt(counted)} in ${about}${formatInt(total)} group${total === 1 ? '' : 's'})</h2>`
  if (list.groups.length === 0) {
    const none =
      severity === 'leak' ? 'No response carried another account&#39;s identity.' : 'none'
    return `${heading}<p class="muted">${none}</p>`
  }
  const max = HTML_GROUPS_SHOWN[severity]
  const rows = list.groups.slice(0, max).map((g, i) => groupRows(g, i + 1))
  const notes: string[] = []
  if (list.groups.length > max) {
    notes.push(
      `${formatInt(list.groups.length - max)} smaller group(s) in the JSON report (--json).`
    )
  }
  const omitted = omittedLine(list, limit)
  if (omitted !== '') {
    notes.push(`${e(omitted)}; the groups listed are those of the smallest key hashes.`)
  }
  return `${heading}
<p class="muted">Grouped by kind, page, owner and foreign accounts, largest first; open a row for one finding of it as evidence.</p>
<table class="groups" data-kind="${id}">
<thead><tr><th>#</th><th>findings</th><th>kind</th><th>owner</th><th>shown</th><th>page</th><th>first · last</th></tr></thead>
${rows.join('\n')}
</table>${notes.map((n) => `<p class="muted">${n}</p>`).join('')}`
}

function groupRows(g: FindingGroup, n: number): string {
  const foreign = g.foreign.map((f) => e(f.id)).join(', ')
  const times =
    g.firstTime === g.lastTime ? e(g.firstTime) : `${e(g.firstTime)}<br>${e(g.lastTime)}`
  return `<tbody class="group"><tr>
<td class="num">${n}</td>
<td class="num"><b>${formatInt(g.count)}</b></td>
<td><span class="pill ${e(g.severity)}">${e(g.kind)}</span></td>
<td>${e(g.owner.id)}</td>
<td>${foreign === '' ? '<span class="muted">-</span>' : foreign}</td>
<td>${e(g.page)}</td>
<td class="time">${times}</td>
</tr><tr class="evidence"><td></td><td colspan="6"><details${n === 1 ? ' open' : ''}><summary>evidence: VU ${g.evidence.vu} at ${e(g.evidence.time)}${g.count > 1 ? ` · ${e(groupSources(g))}` : ''}</summary>${evidence(g.evidence)}</details></td></tr></tbody>`
}

function evidence(f: Finding): string {
  const foreign = f.foreign
    .map((x) => `${e(x.id)} <span class="muted">${e(x.column)}</span> “${e(x.marker)}”`)
    .join(', ')
  const excerpt =
    f.excerpt === undefined
      ? ''
      : `<div class="excerpt">…${e(f.excerpt.before)}<mark>${e(f.excerpt.match)}</mark>${e(f.excerpt.after)}…</div>`
  const headers = Object.entries(f.headers)
    .map(([k, v]) => `${e(k)}: ${e(v)}`)
    .join('<br>')
  const { shown, more } = inFlightShown(f.concurrent)
  const flight = shown
    .map((c) =>
      c.likelySource
        ? `<span class="src">VU ${c.vu} (${e(c.account)}) likely source</span>`
        : `VU ${c.vu} (${e(c.account)})`
    )
    .join(', ')
  const lines = [
    `<div>${e(f.request.method)} ${e(f.request.url)} → ${f.request.status}</div>`,
    foreign === '' ? '' : `<div>foreign: ${foreign}</div>`,
    excerpt,
    f.detail === undefined ? '' : `<div>${e(f.detail)}</div>`,
    `<div class="flight">in flight: ${flight === '' ? '<span class="muted">none</span>' : flight}${more > 0 ? ` <span class="muted">+${formatInt(more)} more</span>` : ''}</div>`,
    headers === '' ? '' : `<div class="muted headers">${headers}</div>`,
  ]
  return lines.join('')
}
