import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

// Self time per function from V8 .cpuprofile files, to name what costs what in a slow row.
interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
}
interface CpuProfile {
  nodes: ProfileNode[]
  samples: number[]
  timeDeltas: number[]
}

export interface HotFunction {
  name: string
  selfMs: number
  share: number
}

function label(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame
  const file = url.replace(/^.*\/(node_modules|packages)\//, '').replace(/^node:/, 'node:')
  return `${functionName || '(anonymous)'} ${file ? `${file}:${lineNumber + 1}` : ''}`.trim()
}

// Where a sample's self time belongs: our package, the bench harness, Node internals, or the VM.
function category(node: ProfileNode): string {
  const { functionName, url } = node.callFrame
  if (url.includes('ipc-rpc/dist/') || url.includes('ipc-rpc/src/')) {
    return 'ipc-rpc'
  }
  if (url.includes('crosstalk-bench')) {
    return 'bench harness + handler'
  }
  if (url.includes('node_modules/')) {
    return 'peer library'
  }
  if (url.startsWith('node:')) {
    return 'node internals (js)'
  }
  if (functionName === '(idle)') {
    return 'idle'
  }
  return functionName.startsWith('(') ? functionName : 'native (write/serialize)'
}

function selfTimes(
  file: string,
  key: (node: ProfileNode) => string
): [Map<string, number>, number] {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  const self = new Map<string, number>()
  let total = 0
  profile.samples.forEach((id, i) => {
    const node = byId.get(id)
    const delta = profile.timeDeltas[i] ?? 0
    total += delta
    if (node) {
      const k = key(node)
      self.set(k, (self.get(k) ?? 0) + delta)
    }
  })
  return [self, total]
}

export function hotFunctions(file: string, top: number, by = label): HotFunction[] {
  const [self, total] = selfTimes(file, by)
  return [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, us]) => ({ name, selfMs: us / 1000, share: total > 0 ? us / total : 0 }))
}

export function summarizeProfiles(dir: string, top = 15): string {
  const out: string[] = []
  for (const name of readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'))) {
    out.push(`${name}:`)
    const groups = hotFunctions(join(dir, name), 10, category)
    out.push(
      '  by category: ' + groups.map((g) => `${g.name} ${(g.share * 100).toFixed(1)}%`).join(', ')
    )
    for (const fn of hotFunctions(join(dir, name), top)) {
      const pct = (fn.share * 100).toFixed(1).padStart(5)
      out.push(`  ${pct}%  ${fn.selfMs.toFixed(1).padStart(8)} ms  ${fn.name}`)
    }
  }
  return out.join('\n')
}
