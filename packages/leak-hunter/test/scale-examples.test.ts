// examples/kubernetes and examples/docker-compose cannot run here; what they rely on is checked:
// every container's arguments parse, the shard and agent counts agree, each pod of the Indexed
// Job resolves to its own shard from JOB_COMPLETION_INDEX, and the image installs this version.
import { readFileSync } from 'node:fs'
import { expect, test } from 'vitest'
import { parseAllDocuments } from 'yaml'
import { parseArgv } from '../src/cli/parse-argv.js'
import { resolveShard } from '../src/scale/shard.js'

const read = (path: string): string =>
  readFileSync(new URL(`../examples/${path}`, import.meta.url), 'utf8')

interface Container {
  args?: string[]
  command?: string[]
  env?: Array<{ name: string; value?: string }>
}
interface JobDoc {
  kind: string
  metadata: { name: string }
  spec: {
    completionMode?: string
    completions?: number
    parallelism?: number
    template: { spec: { containers: Container[] } }
  }
}

const docs = (file: string): JobDoc[] =>
  parseAllDocuments(read(file)).map((d) => d.toJS() as JobDoc)
const job = (file: string, name: string): JobDoc =>
  docs(file).find((d) => d.kind === 'Job' && d.metadata.name === name)!
const envOf = (c: Container): Record<string, string> =>
  Object.fromEntries(
    (c.env ?? []).flatMap((e) => (e.value === undefined ? [] : [[e.name, e.value]]))
  )

test('the sharded Indexed Job: one shard per pod, every shard once, arguments valid', () => {
  const j = job('kubernetes/sharded-job.yaml', 'leak-hunter-shards')
  expect(j.spec.completionMode).toBe('Indexed')
  const [c] = j.spec.template.spec.containers
  const cli = parseArgv(c!.args!)
  expect(cli.command).toBe('run')
  if (cli.command !== 'run') {
    return
  }
  expect(Number(cli.shards)).toBe(j.spec.completions)
  expect(j.spec.parallelism).toBe(j.spec.completions)
  const shards = Array.from({ length: j.spec.completions! }, (_, i) =>
    resolveShard(cli.shard, cli.shards, { JOB_COMPLETION_INDEX: String(i) })
  )
  expect(shards.map((s) => s?.index)).toEqual([1, 2, 3, 4])
  // Each pod writes its own report, the files `merge` reads.
  expect(cli.json).toBe('/reports/shard-$(JOB_COMPLETION_INDEX).json')
})

test('the coordinated manifests: the coordinator waits for as many agents as are started', () => {
  const coordinator = job('kubernetes/coordinated.yaml', 'leak-hunter-coordinator')
  const agents = job('kubernetes/coordinated.yaml', 'leak-hunter-agents')
  const [c] = coordinator.spec.template.spec.containers
  const [a] = agents.spec.template.spec.containers
  expect(parseArgv(c!.args!).command).toBe('coordinate')
  expect(parseArgv(a!.args!).command).toBe('agent')
  expect(Number(envOf(c!).LEAK_HUNTER_AGENTS)).toBe(agents.spec.completions)
  expect(envOf(a!).LEAK_HUNTER_RUN_ID).toBe(envOf(c!).LEAK_HUNTER_RUN_ID)
  expect(envOf(a!).LEAK_HUNTER_REDIS).toBe(envOf(c!).LEAK_HUNTER_REDIS)

  const compose = parseAllDocuments(read('docker-compose/compose.yaml'))[0]!.toJS() as {
    services: Record<
      string,
      Container & { deploy?: { replicas: number }; environment?: Record<string, string> }
    >
  }
  const { coordinator: cc, agent: ca } = compose.services
  expect(
    parseArgv(
      cc!.command!.map((x) =>
        x.replace('${TARGET:-http://host.docker.internal:3000}', 'http://h:3000')
      )
    ).command
  ).toBe('coordinate')
  expect(parseArgv(ca!.command!).command).toBe('agent')
  expect(Number(cc!.environment!.LEAK_HUNTER_AGENTS)).toBe(ca!.deploy!.replicas)
})

test('the image installs the version of this package', () => {
  const { version } = JSON.parse(read('../package.json')) as { version: string }
  expect(read('kubernetes/Dockerfile')).toContain(`@crosstalk/leak-hunter@${version}`)
  for (const file of ['kubernetes/sharded-job.yaml', 'kubernetes/coordinated.yaml']) {
    expect(read(file)).toContain(`leak-hunter:${version}`)
  }
})
