// Starting and stopping bench-server.ts processes, for the benches that load them.
import { fork, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * Forks bench-server.ts with `args` (mode, db, renderers, guard, identities[, slice ms]) under
 * NODE_ENV=production and waits for its URL. BENCH_CPU_PROF=<dir> writes a .cpuprofile per server
 * process into <dir>/<mode> (profile the parent's hot path), sampled every BENCH_CPU_PROF_US µs
 * (default 1000: V8's is 1000 too).
 */
export async function startServer(args: string[]): Promise<{ child: ChildProcess; url: string }> {
  const dir = process.env.BENCH_CPU_PROF
  const profile =
    dir === undefined || dir === ''
      ? []
      : [
          '--cpu-prof',
          '--cpu-prof-interval',
          process.env.BENCH_CPU_PROF_US ?? '1000',
          '--cpu-prof-dir',
          join(dir, args[0]!),
        ]
  const child = fork(fileURLToPath(new URL('./bench-server.ts', import.meta.url)), args, {
    execArgv: ['--import', 'tsx', ...profile],
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  const { url } = await nextMessage<{ url: string }>(
    child,
    `bench-server ${args[0]!}, before listening`
  )
  return { child, url }
}

/** Sends `message` to a server and resolves with its reply. */
export function ask<T>(child: ChildProcess, message: string): Promise<T> {
  const reply = nextMessage<T>(child, `bench-server, asked '${message}'`)
  child.send(message)
  return reply
}

/** The child's next message: a server that dies first fails the bench instead of hanging it. */
function nextMessage<T>(child: ChildProcess, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onMessage = (message: T) => {
      child.off('exit', onExit)
      resolve(message)
    }
    const onExit = (code: number | null) => {
      child.off('message', onMessage)
      reject(new Error(`${what}: the server exited with code ${String(code)}`))
    }
    child.once('message', onMessage)
    child.once('exit', onExit)
  })
}

/** Disconnects each server that still runs and waits for it to exit (SIGKILL after 5 s). */
export async function stopServers(children: readonly ChildProcess[]): Promise<void> {
  await Promise.all(
    children.map(async (child) => {
      if (child.exitCode === null && child.signalCode === null) {
        // Not events.once(child, 'exit'): it would reject on a late IPC 'error'.
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
        child.disconnect()
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
        await exited
        clearTimeout(timer)
      }
    })
  )
}
