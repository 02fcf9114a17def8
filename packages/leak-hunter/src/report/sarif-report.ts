// `--sarif FILE`: SARIF 2.1.0, one result per finding group (its count as occurrenceCount). A web
// target has no source lines: a result's location is the request URL as the artifact (an
// absolute URI, as SARIF allows and GitHub code scanning requires), the page as a logical
// location, and the request and response as SARIF's webRequest and webResponse. Built from the
// report, so it is redacted as the report is.
import type { FindingKind } from '../detect/types.js'
import { groupHash, groupKey } from './finding-groups.js'
import { groupWho, inFlightShown, omittedLine, printable } from './format.js'
import type { FindingGroup, HuntReport } from './types.js'

export const SARIF_SCHEMA =
  'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json'

interface Rule {
  id: FindingKind
  name: string
  level: 'error' | 'warning'
  /** GitHub code scanning reads this (0-10) to rank security alerts. */
  severity: string
  short: string
  full: string
}

const RULES: readonly Rule[] = [
  {
    id: 'foreign-identity',
    name: 'ForeignIdentity',
    level: 'error',
    severity: '9.1',
    short: "A response sent on one user's session shows another user's identity",
    full: "A personalised response carried a marker (name, e-mail, id) of an account other than the session's owner: data of one user reached another, e.g. replies matched to the wrong request.",
  },
  {
    id: 'session-swap',
    name: 'SessionSwap',
    level: 'error',
    severity: '9.3',
    short: "A response handed one user another user's session cookie",
    full: 'A Set-Cookie in a response to one virtual user carried a session cookie value that another virtual user holds: the receiver is now logged in as someone else.',
  },
  {
    id: 'own-identity-missing',
    name: 'OwnIdentityMissing',
    level: 'warning',
    severity: '4.0',
    short: "A page that should show its owner's identity showed nobody's",
    full: 'A page marked expectOwnMarker showed no marker of its owner: the session was lost, or the page was served for nobody; what it showed cannot prove a leak either way.',
  },
  {
    id: 'cacheable-personalised',
    name: 'CacheablePersonalised',
    level: 'warning',
    severity: '6.5',
    short: 'A personalised response that a shared cache may store',
    full: 'A response showing its owner allowed shared caching (no private or no-store, no Vary: Cookie): a proxy or CDN may serve it to other users.',
  },
]

/** A URI every SARIF reader accepts: characters RFC 3986 does not allow are percent-encoded. */
function safeUri(url: string): string {
  return url.replace(/%(?![0-9A-Fa-f]{2})|[^A-Za-z0-9\-._~:/?#@!$&'()*+,;=%]/gu, (c) =>
    c.length === 1 && c >= '\ud800' && c <= '\udfff' ? '%EF%BF%BD' : encodeURIComponent(c)
  )
}

function message(g: FindingGroup): string {
  const times =
    g.count === 1 ? `at ${g.firstTime}` : `${g.count} times, ${g.firstTime} to ${g.lastTime}`
  const source =
    g.severity === 'leak' && g.withLikelySource > 0
      ? `; a likely source was in flight in ${g.withLikelySource} of ${g.count}`
      : ''
  const match = g.evidence.excerpt === undefined ? '' : ` Evidence: …${g.evidence.excerpt.match}…`
  return `${g.kind} on ${g.page} (${groupWho(g)}), ${times}${source}.${match}`
}

function result(g: FindingGroup): Record<string, unknown> {
  const f = g.evidence
  const rule = RULES.findIndex((r) => r.id === g.kind)
  const uri = safeUri(f.request.url)
  return {
    ruleId: g.kind,
    ruleIndex: rule,
    level: RULES[rule]?.level ?? 'warning',
    kind: 'fail',
    message: { text: printable(message(g)) },
    locations: [
      {
        physicalLocation: { artifactLocation: { uri } },
        logicalLocations: [
          { name: g.page, fullyQualifiedName: `${f.request.method} ${uri}`, kind: 'resource' },
        ],
      },
    ],
    occurrenceCount: g.count,
    partialFingerprints: { 'leakHunterGroup/v1': groupHash(groupKey(g)).toString(16) },
    webRequest: { protocol: 'HTTP', method: f.request.method, target: uri },
    webResponse: { protocol: 'HTTP', statusCode: f.request.status, headers: f.headers },
    properties: {
      owner: g.owner.id,
      foreign: g.foreign.map((x) => x.id),
      markers: f.foreign.map((x) => ({ account: x.id, column: x.column, marker: x.marker })),
      firstTime: g.firstTime,
      lastTime: g.lastTime,
      withLikelySource: g.withLikelySource,
      evidence: {
        vu: f.vu,
        time: f.time,
        ...(f.excerpt === undefined ? {} : { excerpt: f.excerpt }),
        ...(f.detail === undefined ? {} : { detail: f.detail }),
        inFlight: inFlightShown(f.concurrent).shown,
      },
    },
  }
}

const FAILED_RUN = new Set(['login-failed', 'target-unreachable', 'interrupted'])

/** The SARIF 2.1.0 log of a report; `toolVersion` is the package version. */
export function renderSarifReport(report: HuntReport, toolVersion: string): string {
  const { leaks, warnings } = report.groups
  const notes = [
    ...report.reasons.map((text) => ({
      level: FAILED_RUN.has(report.verdict) ? 'error' : 'note',
      text,
    })),
    ...[omittedLine(leaks, report.groups.limit), omittedLine(warnings, report.groups.limit)]
      .filter((text) => text !== '')
      .map((text) => ({ level: 'warning', text })),
  ]
  const log = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'leak-hunter',
            fullName: '@crosstalk/leak-hunter',
            version: toolVersion,
            semanticVersion: toolVersion,
            rules: RULES.map((r) => ({
              id: r.id,
              name: r.name,
              shortDescription: { text: r.short },
              fullDescription: { text: r.full },
              help: { text: `${r.full} See docs/detection.md of @crosstalk/leak-hunter.` },
              defaultConfiguration: { level: r.level },
              properties: {
                tags: ['security', 'cross-user-leak'],
                'security-severity': r.severity,
              },
            })),
          },
        },
        invocations: [
          {
            executionSuccessful: !FAILED_RUN.has(report.verdict),
            exitCode: report.exitCode,
            startTimeUtc: report.startedAt,
            endTimeUtc: new Date(Date.parse(report.startedAt) + report.durationMs).toISOString(),
            toolExecutionNotifications: notes.map((n) => ({
              level: n.level,
              message: { text: n.text },
            })),
          },
        ],
        results: [...leaks.groups, ...warnings.groups].map(result),
        properties: {
          reportSchema: report.schema,
          verdict: report.verdict,
          seed: report.seed,
          target: report.target.address,
          thresholds: report.thresholds,
          omitted: { leaks: leaks.omitted, warnings: warnings.omitted },
        },
      },
    ],
  }
  return `${JSON.stringify(log, null, 2)}\n`
}
