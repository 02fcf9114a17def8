// --junit and --sarif as CI reads them: the JUnit XML valid against Jenkins' junit-10.xsd and
// shaped as GitLab and the GitHub reporters read it, the SARIF valid against the SARIF 2.1.0 JSON
// schema; both from a real leaking run through the bin, and from reports of every verdict.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Ajv2020 } from 'ajv/dist/2020.js'
import addFormatsModule from 'ajv-formats'
import { XmlDocument, XsdValidator } from 'libxml2-wasm'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { HuntReport } from '../src/index.js'
import { renderJunitReport } from '../src/report/junit-report.js'
import { buildSampleReport, withFindings } from '../src/report/sample-report.js'
import { renderSarifReport } from '../src/report/sarif-report.js'
import { makeUsers, startFixtureServer } from './fixtures/fixture-server.js'
import type { FixtureServer } from './fixtures/fixture-server.js'
import { runBin } from './fixtures/run-bin.js'
import type { BinResult } from './fixtures/run-bin.js'
import { scenarioFor, writeScenarioDir } from './fixtures/scenarios.js'

const schemas = (file: string): string =>
  readFileSync(new URL(`./fixtures/schemas/${file}`, import.meta.url), 'utf8')

// ajv-formats is CommonJS with a default export; under NodeNext its namespace is what we get.
const addFormats = ((addFormatsModule as { default?: unknown }).default ?? addFormatsModule) as (
  ajv: Ajv2020
) => unknown
const ajv = new Ajv2020({ allErrors: true, strict: false })
addFormats(ajv)
const validateSarif = ajv.compile(JSON.parse(schemas('sarif-2.1.0.json')) as object)

function sarifProblems(text: string): string[] {
  const ok = validateSarif(JSON.parse(text))
  return ok ? [] : (validateSarif.errors ?? []).map((e) => `${e.instancePath} ${e.message}`)
}

function junitProblems(text: string): string[] {
  const xsd = XmlDocument.fromString(schemas('junit-10.xsd'))
  const validator = XsdValidator.fromDoc(xsd)
  const doc = XmlDocument.fromString(text)
  try {
    validator.validate(doc)
    return []
  } catch (err) {
    return [(err as Error).message]
  } finally {
    doc.dispose()
    validator.dispose()
    xsd.dispose()
  }
}

interface Case {
  classname: string
  name: string
  failure?: { type: string; message: string; text: string }
  error?: { type: string; message: string }
}

/** The test cases as a JUnit reader sees them (attributes and text, entities decoded). */
function junitCases(text: string): { suites: Array<Record<string, string>>; cases: Case[] } {
  const doc = XmlDocument.fromString(text)
  try {
    const attrs = (el: { attrs: Array<{ name: string; value: string }> }): Record<string, string> =>
      Object.fromEntries(el.attrs.map((a) => [a.name, a.value]))
    const suites = doc.find('/testsuites/testsuite').map((n) => attrs(n as never))
    const cases = doc.find('//testcase').map((n) => {
      const el = n as unknown as {
        attrs: Array<{ name: string; value: string }>
        get(
          xpath: string
        ): { content: string; attrs: Array<{ name: string; value: string }> } | null
      }
      const a = attrs(el)
      const failure = el.get('failure')
      const error = el.get('error')
      return {
        classname: a.classname!,
        name: a.name!,
        ...(failure === null
          ? {}
          : {
              failure: {
                type: attrs(failure).type!,
                message: attrs(failure).message!,
                text: failure.content,
              },
            }),
        ...(error === null
          ? {}
          : { error: { type: attrs(error).type!, message: attrs(error).message! } }),
      }
    })
    return { suites, cases }
  } finally {
    doc.dispose()
  }
}

test('the validators reject what the readers would: a suite without counts, a bad URI', () => {
  expect(junitProblems('<testsuites><testsuite name="x"/></testsuites>')).not.toEqual([])
  const sarif = JSON.parse(renderSarifReport(buildSampleReport(), '0.1.0')) as {
    runs: Array<{ results: Array<{ locations: Array<Record<string, unknown>> }> }>
  }
  expect(sarifProblems(JSON.stringify(sarif))).toEqual([])
  sarif.runs[0]!.results[0]!.locations[0] = {
    physicalLocation: { artifactLocation: { uri: 'http://x/a b[redacted]' } },
  }
  expect(sarifProblems(JSON.stringify(sarif))).toEqual([
    '/runs/0/results/0/locations/0/physicalLocation/artifactLocation/uri must match format "uri-reference"',
  ])
})

describe('CI outputs of a real leaking run', () => {
  const users = makeUsers(12)
  let server: FixtureServer
  let run: BinResult
  let junit: string
  let sarif: string
  let report: HuntReport

  beforeAll(async () => {
    server = await startFixtureServer({ users, leaky: true })
    const scenario = scenarioFor(
      'form',
      server.url,
      { vus: 8, duration: '1500ms', seed: 'ci' },
      { thresholds: { latency: { p99: 5000 } } }
    )
    const dir = writeScenarioDir(users, scenario)
    run = await runBin(
      [
        'run',
        'scenario.json',
        '-q',
        '--junit',
        'junit.xml',
        '--sarif',
        'out.sarif',
        '--json',
        'r.json',
      ],
      { cwd: dir }
    )
    junit = readFileSync(join(dir, 'junit.xml'), 'utf8')
    sarif = readFileSync(join(dir, 'out.sarif'), 'utf8')
    report = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as HuntReport
  }, 60_000)
  afterAll(async () => {
    await server.close()
  })

  test('the run leaked and exited 1', () => {
    expect(run.code).toBe(1)
    expect(report.verdict).toBe('leak')
  })

  test('JUnit: valid against junit-10.xsd; one case per step and per threshold; the leak fails its page', () => {
    expect(junitProblems(junit)).toEqual([])
    const { suites, cases } = junitCases(junit)
    expect(suites.map((s) => s.name)).toEqual(['leak-hunter pages', 'leak-hunter thresholds'])
    expect(cases.map((c) => `${c.classname} ${c.name}`)).toEqual([
      'leak-hunter.login login-form: GET /form/login',
      'leak-hunter.login login-submit: POST /form/login',
      'leak-hunter.login home: GET /',
      'leak-hunter.pages home: GET /',
      'leak-hunter.thresholds latency.p99 <= 5000 ms  actual ' +
        cases.find((c) => c.name.startsWith('latency.p99'))!.name.split('actual ')[1],
      `leak-hunter.thresholds leaks <= 0  actual ${report.summary.leaks.responses.toLocaleString('en')}`,
      expect.stringMatching(/^leak-hunter\.thresholds inconclusive\.errorRate <= 10 %/),
      expect.stringMatching(/^leak-hunter\.thresholds inconclusive\.unchecked <= 10 %/),
    ])
    const page = cases[3]!
    const step = report.summary.steps.find((s) => s.phase === 'load')!
    expect(page.failure).toMatchObject({ type: 'leak' })
    expect(page.failure!.message).toContain(
      `${step.leaks.findings.toLocaleString('en')} leak finding(s)`
    )
    // The evidence: the largest group, its matched marker in context and the likely source.
    const top = report.groups.leaks.groups.find((g) => g.page === 'home')!
    expect(page.failure!.text).toContain(`foreign-identity ×${top.count}  ${top.owner.id} shown`)
    expect(page.failure!.text).toContain(top.evidence.excerpt!.match)
    expect(page.failure!.text).toContain('<- likely source')
    const leaks = cases.find((c) => c.name.startsWith('leaks <='))!
    expect(leaks.failure).toMatchObject({ type: 'threshold' })
    // Counts in the suite attributes match the cases, as Jenkins and GitLab total them.
    const failing = cases.filter((c) => c.failure !== undefined).length
    expect(Number(suites[0]!.failures) + Number(suites[1]!.failures)).toBe(failing)
    expect(Number(suites[0]!.tests) + Number(suites[1]!.tests)).toBe(cases.length)
  })

  test('SARIF: valid against the 2.1.0 schema; one result per group, located at its request URL', () => {
    expect(sarifProblems(sarif)).toEqual([])
    const log = JSON.parse(sarif) as {
      runs: Array<{
        tool: { driver: { rules: Array<{ id: string }> } }
        results: Array<Record<string, unknown> & { locations: unknown[] }>
        invocations: Array<{ executionSuccessful: boolean; exitCode: number }>
      }>
    }
    const sarifRun = log.runs[0]!
    expect(sarifRun.tool.driver.rules.map((r) => r.id)).toEqual([
      'foreign-identity',
      'session-swap',
      'own-identity-missing',
      'cacheable-personalised',
    ])
    const groups = report.groups.leaks.groups
    expect(sarifRun.results).toHaveLength(groups.length + report.groups.warnings.groups.length)
    const first = sarifRun.results[0]!
    expect(first).toMatchObject({
      ruleId: 'foreign-identity',
      level: 'error',
      occurrenceCount: groups[0]!.count,
      locations: [
        {
          physicalLocation: { artifactLocation: { uri: `${server.url}/` } },
          logicalLocations: [{ name: 'home', kind: 'resource' }],
        },
      ],
      webRequest: { method: 'GET', target: `${server.url}/` },
      webResponse: { statusCode: 200 },
    })
    const total = sarifRun.results.reduce((n, r) => n + (r.occurrenceCount as number), 0)
    expect(total).toBe(report.summary.leaks.findings + report.summary.warnings)
    expect(sarifRun.invocations[0]).toMatchObject({ executionSuccessful: true, exitCode: 1 })
  })
})

describe('CI outputs of every kind of report', () => {
  const sample = buildSampleReport()
  const reports: Array<[string, HuntReport]> = [
    ['leak', sample],
    ['hostile page content', buildSampleReport({ hostile: true })],
    [
      'a storm of 10,000 findings',
      buildSampleReport({ storm: { findings: 10_000, accounts: 64, inFlight: 31 } }),
    ],
    ['clean', { ...withFindings(sample, []), verdict: 'clean', exitCode: 0, reasons: [] }],
    [
      'unreachable',
      {
        ...withFindings(sample, []),
        verdict: 'target-unreachable',
        exitCode: 3,
        reasons: ['cannot connect to 127.0.0.1:9: connect ECONNREFUSED 127.0.0.1:9'],
        summary: {
          ...sample.summary,
          steps: sample.summary.steps.map((s) => ({
            ...s,
            sent: 0,
            responses: 0,
            leaks: { responses: 0, findings: 0 },
            warnings: 0,
          })),
        },
      },
    ],
  ]

  test.each(reports)('%s: JUnit valid against junit-10.xsd, SARIF against 2.1.0', (_name, r) => {
    expect(junitProblems(renderJunitReport(r))).toEqual([])
    expect(sarifProblems(renderSarifReport(r, '0.1.0'))).toEqual([])
  })

  test('page text that XML cannot hold (controls, lone surrogates) is shown escaped', () => {
    const f = sample.findings[0]!
    const odd = {
      ...f,
      excerpt: { before: 'a\u0001b\u001b[31m\ud800c\uffff', match: 'Tom', after: '\u202e' },
    }
    const xml = renderJunitReport(withFindings(sample, [odd]))
    expect(junitProblems(xml)).toEqual([])
    const text = junitCases(xml).cases.find((c) => c.failure?.type === 'leak')!.failure!.text
    expect(text).toContain('a\\x01b\\x1b[31m\ufffdc\ufffdTom\\u202e')
  })

  test('an unreachable target: every step is an error "not checked", and SARIF says the run failed', () => {
    const unreachable = reports[4]![1]
    const cases = junitCases(renderJunitReport(unreachable)).cases
    const steps = cases.filter((c) => c.classname !== 'leak-hunter.thresholds')
    expect(steps.length).toBeGreaterThan(0)
    expect(steps.every((c) => c.error?.type === 'not-checked')).toBe(true)
    const log = JSON.parse(renderSarifReport(unreachable, '0.1.0')) as {
      runs: Array<{
        invocations: Array<{
          executionSuccessful: boolean
          toolExecutionNotifications: Array<{ level: string; message: { text: string } }>
        }>
      }>
    }
    expect(log.runs[0]!.invocations[0]).toMatchObject({
      executionSuccessful: false,
      toolExecutionNotifications: [
        { level: 'error', message: { text: expect.stringContaining('ECONNREFUSED') } },
      ],
    })
  })

  test('a storm stays small: one SARIF result per kept group, JUnit lists 20 groups per step', () => {
    const storm = reports[2]![1]
    const sarif = renderSarifReport(storm, '0.1.0')
    const log = JSON.parse(sarif) as { runs: Array<{ results: unknown[] }> }
    expect(log.runs[0]!.results).toHaveLength(storm.groups.leaks.groups.length + 1)
    const junit = renderJunitReport(storm)
    expect(Buffer.byteLength(junit)).toBeLessThan(200 * 1024)
    const home = junitCases(junit).cases.find(
      (c) => c.name === 'home: GET /' && c.classname === 'leak-hunter.pages'
    )!
    expect(home.failure!.text.match(/^ {2}#\d+ foreign-identity/gm)).toHaveLength(20)
    expect(home.failure!.text).toMatch(
      /… [\d,]+ more leak finding\(s\) on this step: see the JSON or HTML report$/
    )
  })
})
