// One benchmark server (forked by start-server.ts with NODE_ENV=production, for run.ts and
// guard-ab.ts): builds the app for the mode
// named in argv, listens on 127.0.0.1, reports its URL over IPC, and closes on disconnect. With
// guard 'block', the guard's registry is first warmed with `warm` active identities. Given
// `sliceMs`, the guard is switched on and off in slices of that length (guard-ab.ts; with
// 'control', on in all of them), and with `churn`, that many more users are marked active each
// second.
import { PerformanceObserver } from 'node:perf_hooks'
import type { GuardMode } from '@crosstalk/guard'
import type { IpcMode } from '../src/page-renderer/index.js'
import { alternateGuard, type Slice } from './guard-slices.js'
import { activateOtherUsers, churnOtherUsers } from './other-users.js'

const [mode, db, renderers, guardMode, warm, sliceMs, control, churn] = process.argv.slice(2)
if (process.env.NODE_ENV !== 'production') {
  throw new Error('bench-server must run with NODE_ENV=production (React production build)')
}
// Imported after the NODE_ENV check, so React's production build is the one loaded.
const { buildApp } = await import('../src/server/build-app.js')
const { createHomeGuard } = await import('../src/server/home-guard.js')

async function warmGuard(mode: GuardMode | 'unscanned', count: number) {
  if (mode === 'off') {
    return 'off' as const
  }
  // 'unscanned': report mode with every response sampled out, the guard's cost without the scan.
  const guard = createHomeGuard(
    mode === 'unscanned'
      ? { mode: 'report', sampleRate: 0, ttlMs: 30 * 60_000 }
      : { mode, ttlMs: 30 * 60_000 }
  )
  await activateOtherUsers(guard, count)
  return guard
}

const guard = await warmGuard((guardMode ?? 'off') as GuardMode | 'unscanned', Number(warm ?? 0))
const stopChurn =
  guard !== 'off' && Number(churn) > 0
    ? churnOtherUsers(guard, Number(churn), Number(warm ?? 0))
    : () => {}
const slices =
  sliceMs !== undefined && guard !== 'off'
    ? alternateGuard(guard, Number(sliceMs), control === 'control')
    : undefined
const app = await buildApp({
  db: db ?? ':memory:',
  ipc: mode as IpcMode,
  renderers: Number(renderers),
  production: true,
  rateLimit: false,
  guard: slices?.guard ?? guard,
})
const url = await app.listen({ host: '127.0.0.1', port: 0 })
process.send?.({ url })
// The loader asks for this process's CPU time around each measurement: CPU per request is steadier
// than req/s on a shared host, and it is what the guard adds to the server. With the time the main
// thread spent paused in garbage collection, so that a cost that shows up as GC is seen as such.
let gcUs = 0
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    gcUs += entry.duration * 1000
  }
}).observe({ entryTypes: ['gc'] })
process.on('message', (message: unknown) => {
  if (message === 'cpu') {
    const { user, system } = process.cpuUsage()
    process.send?.({ cpuUs: user + system, gcUs })
  } else if (message === 'slices-start') {
    slices?.start()
    process.send?.({ started: slices !== undefined })
  } else if (message === 'slices') {
    process.send?.({
      slices: slices?.stop() ?? ([] as Slice[]),
      index: guard === 'off' ? undefined : guard.stats().index,
    })
  }
})
process.on('disconnect', () => {
  stopChurn()
  void app.close().then(() => process.exit(0))
})
