import type { StartTarget } from './target.js'

export type TransportKind = 'process' | 'thread'

export interface Scenario {
  id: string
  target: TargetName
  depth: number
  transport: TransportKind
  what: string
  configuration: string
  // The limit is the raw hand-written Map over the same transport; every row is divided by it.
  isLimit: boolean
  // Required ratio to the limit from issue 2, where there is one.
  goal?: number
}

// Loaded lazily so that a missing or half-built target (e.g. ipc-rpc mid-edit) only fails its rows.
export const targetLoaders = {
  'raw-process': async () => (await import('./targets/raw-process.js')).startRawProcess,
  'raw-thread': async () => (await import('./targets/raw-thread.js')).startRawThread,
  'ipc-rpc-endpoint': async () =>
    (await import('./targets/ipc-rpc-endpoint.js')).startIpcRpcEndpoint,
  'ipc-rpc-pool': async () => (await import('./targets/ipc-rpc-pool.js')).startIpcRpcPool,
  'ipc-rpc-worker': async () => (await import('./targets/ipc-rpc-worker.js')).startIpcRpcWorker,
  'birpc-process': async () => (await import('./targets/birpc-process.js')).startBirpcProcess,
  'tinypool-process': async () =>
    (await import('./targets/tinypool-process.js')).startTinypoolProcess,
  'workerpool-process': async () =>
    (await import('./targets/workerpool-process.js')).startWorkerpoolProcess,
  'piscina-thread': async () => (await import('./targets/piscina-thread.js')).startPiscinaThread,
  'ipc-rpc-unbatched': async () =>
    (await import('./targets/ipc-rpc-endpoint.js')).startIpcRpcUnbatched,
} satisfies Record<string, () => Promise<StartTarget>>

export type TargetName = keyof typeof targetLoaders

export const depths = [1, 16, 256] as const

interface Row {
  target: TargetName
  transport: TransportKind
  what: string
  configuration: (depth: number) => string
  isLimit?: boolean
  goal?: number
}

const rows: Row[] = [
  {
    target: 'raw-process',
    transport: 'process',
    what: 'raw fork + process.send (limit)',
    configuration: () => 'json, hand-written correlation Map',
    isLimit: true,
  },
  {
    target: 'ipc-rpc-endpoint',
    transport: 'process',
    what: 'ipc-rpc createEndpoint',
    configuration: () => 'childProcessTransport, json, serve() in child',
    goal: 0.95,
  },
  {
    target: 'ipc-rpc-unbatched',
    transport: 'process',
    what: 'ipc-rpc createEndpoint, maxBatch 1',
    configuration: () => 'as above, every message in its own write (no coalescing)',
  },
  {
    target: 'ipc-rpc-pool',
    transport: 'process',
    what: 'ipc-rpc createPool',
    configuration: () => 'size 1, json, maxInFlightPerChild 256',
    goal: 0.9,
  },
  {
    target: 'birpc-process',
    transport: 'process',
    what: 'birpc',
    configuration: () => 'child.send / child.on("message"), json, defaults',
  },
  {
    target: 'tinypool-process',
    transport: 'process',
    what: 'tinypool',
    configuration: (d) => `runtime child_process, 1 child, concurrentTasksPerWorker ${d}`,
  },
  {
    target: 'workerpool-process',
    transport: 'process',
    what: 'workerpool',
    configuration: () => "workerType 'process', 1 worker (one task at a time)",
  },
  {
    target: 'raw-thread',
    transport: 'thread',
    what: 'raw Worker + postMessage (limit)',
    configuration: () => 'hand-written correlation Map',
    isLimit: true,
  },
  {
    target: 'ipc-rpc-worker',
    transport: 'thread',
    what: 'ipc-rpc createEndpoint',
    configuration: () => 'workerTransport, serve() in worker',
    goal: 0.95,
  },
  {
    target: 'piscina-thread',
    transport: 'thread',
    what: 'piscina',
    configuration: (d) => `1 thread, concurrentTasksPerWorker ${d}`,
  },
]

export function allScenarios(): Scenario[] {
  const scenarios: Scenario[] = []
  for (const row of rows) {
    for (const depth of depths) {
      scenarios.push({
        id: `${row.target}@${depth}`,
        target: row.target,
        depth,
        transport: row.transport,
        what: row.what,
        configuration: row.configuration(depth),
        isLimit: row.isLimit ?? false,
        ...(row.goal === undefined ? {} : { goal: row.goal }),
      })
    }
  }
  return scenarios
}
