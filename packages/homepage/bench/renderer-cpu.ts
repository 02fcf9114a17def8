// Parent CPU per render for each renderer mode, no HTTP: how much the server pays to have a page
// rendered. Run: node --import tsx bench/renderer-cpu.ts [--renders N] [--rounds N]
import { arg, median } from './bench-args.js'

process.env.NODE_ENV = 'production'
const { createPageRenderer } = await import('../src/page-renderer/index.js')
const { renderRequest } = await import('../test/fixtures/render-users.js')
type Renderer = Awaited<ReturnType<typeof createPageRenderer>>

const RENDERS = arg('renders', 3000)
const ROUNDS = arg('rounds', 4)
const IN_FLIGHT = 32

const base = { renderers: 2, production: true, renderTimeoutMs: 5000 }
const renderers: Record<string, Renderer> = {
  correlated: await createPageRenderer({ mode: 'correlated', ...base }),
  naive: await createPageRenderer({ mode: 'naive', ...base }),
  'in-process': await createPageRenderer({ mode: 'in-process', ...base }),
}
const configs: Array<[string, Renderer, boolean]> = [
  ['in-process, with signal', renderers['in-process']!, true],
  ['naive, with signal', renderers.naive!, true],
  ['correlated, no signal', renderers.correlated!, false],
  ['correlated, with signal', renderers.correlated!, true],
]

async function parentCpuPerRender(renderer: Renderer, withSignal: boolean): Promise<number> {
  let started = 0
  const cpu0 = process.cpuUsage()
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (started < RENDERS) {
        started += 1
        const signal = new AbortController().signal
        const options = withSignal ? { path: '/', signal } : { path: '/' }
        await renderer.render(renderRequest((started % 50) + 1), options)
      }
    })
  )
  const cpu = process.cpuUsage(cpu0)
  return (cpu.user + cpu.system) / RENDERS
}

const samples = new Map<string, number[]>(configs.map(([name]) => [name, []]))
try {
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const [name, renderer, withSignal] of configs) {
      samples.get(name)!.push(await parentCpuPerRender(renderer, withSignal))
    }
  }
} finally {
  await Promise.all(Object.values(renderers).map((r) => r.close()))
}
process.stdout.write(
  `parent CPU per render, ${RENDERS} renders x ${ROUNDS} rounds, ${IN_FLIGHT} in flight\n`
)
for (const [name, values] of samples) {
  process.stdout.write(
    `  ${name}: median ${median(values).toFixed(0)} us (rounds ${values.map((v) => v.toFixed(0)).join(', ')})\n`
  )
}
