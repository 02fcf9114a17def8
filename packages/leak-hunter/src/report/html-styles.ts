// Inline styles of the HTML report: system fonts only (no web fonts), readable in light and dark.
export const REPORT_CSS = `
:root { color-scheme: light dark; --fg: #1d1f23; --muted: #5f6670; --bg: #ffffff; --card: #f4f5f7;
  --line: #d9dce1; --leak: #c62828; --warn: #b26a00; --ok: #2e7d32; --req: #1565c0; --mark: #ffd54f; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6e8eb; --muted: #a0a7b1; --bg: #16181c;
  --card: #20232a; --line: #343842; --req: #64b5f6; --mark: #8d6e00; } }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: var(--fg); background: var(--bg); }
main { max-width: 1180px; margin: 0 auto; padding: 24px; }
h1 { margin: 0 0 4px; font-size: 26px; } h2 { margin: 32px 0 12px; font-size: 18px; }
.verdict { padding: 18px 22px; border-radius: 10px; color: #fff; }
.verdict.clean { background: var(--ok); } .verdict.leak { background: var(--leak); }
.verdict.other { background: var(--warn); }
.verdict p { margin: 0; opacity: .92; }
.verdict ul.reasons { margin: 0 0 8px; padding-left: 20px; font-size: 15px; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(160px, 1fr)); gap: 10px; margin-top: 16px; }
.card { background: var(--card); border-radius: 8px; padding: 10px 12px; }
.card b { display: block; font-size: 20px; } .card span { color: var(--muted); font-size: 12px; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(420px, 1fr)); gap: 16px; }
figure { margin: 0; background: var(--card); border-radius: 8px; padding: 8px; }
figcaption { color: var(--muted); font-size: 12px; padding: 0 6px 4px; }
.chart { width: 100%; height: auto; display: block; }
.chart .grid { stroke: var(--line); stroke-width: 1; }
.chart .axis { fill: var(--muted); font-size: 11px; } .chart .leak-axis { fill: var(--leak); }
.chart .line-req { fill: none; stroke: var(--req); stroke-width: 2; }
.chart .line-err { fill: none; stroke: var(--warn); stroke-width: 1.5; stroke-dasharray: 4 3; }
.chart .line-lat { fill: none; stroke: var(--req); stroke-width: 2; }
.chart .dot { fill: var(--req); } .chart .leak-bar { fill: var(--leak); opacity: .85; }
.legend span { margin-right: 14px; } .legend i { display: inline-block; width: 12px; height: 3px;
  vertical-align: middle; margin-right: 4px; }
table { width: 100%; border-collapse: collapse; font-size: 13px; }
th, td { text-align: left; vertical-align: top; padding: 6px 8px; border-bottom: 1px solid var(--line); }
th { color: var(--muted); font-weight: 600; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.excerpt { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px;
  white-space: pre-wrap; word-break: break-all; max-width: 520px; }
mark { background: var(--mark); color: inherit; font-weight: 700; padding: 0 1px; }
.src { color: var(--leak); font-weight: 600; }
.muted { color: var(--muted); } .ok { color: var(--ok); } .fail { color: var(--leak); font-weight: 600; }
.pill { display: inline-block; white-space: nowrap; padding: 1px 7px; border-radius: 9px; font-size: 12px; background: var(--card); }
.pill.leak { background: var(--leak); color: #fff; } .pill.warning { background: var(--warn); color: #fff; }
pre.config { background: var(--card); padding: 12px; border-radius: 8px; overflow: auto; font-size: 12px; }
details summary { cursor: pointer; color: var(--muted); }
table.groups tr:first-child td { border-bottom: 0; padding-bottom: 2px; }
table.groups tr.evidence td { padding-top: 0; }
table.groups details > div { margin: 4px 0; }
td.time { font-size: 12px; color: var(--muted); white-space: nowrap; }
.flight, .headers { font-size: 12px; }
`
