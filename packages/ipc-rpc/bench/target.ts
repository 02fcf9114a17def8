import type { ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import type { RenderReply, RenderRequest } from './workload.js'

// What every benchmarked system is reduced to: one call function and a way to stop it.
export interface Target {
  call(req: RenderRequest): Promise<RenderReply>
  close(): Promise<void>
}

export type StartTarget = (depth: number) => Promise<Target>

// Compiled fixtures live next to the compiled bench files; see compile-bench.ts.
export function fixturePath(name: string): string {
  return new URL(`./fixtures/${name}`, import.meta.url).pathname
}

// Extra node flags for children, set by `--profile` (e.g. --cpu-prof); empty when measuring.
export function childExecArgv(): string[] {
  const flags = process.env.CROSSTALK_BENCH_CHILD_ARGV ?? ''
  return flags.split(' ').filter((flag) => flag.length > 0)
}

// Disconnect first so that the child exits on its own (and writes its --cpu-prof profile);
// SIGKILL only if it has not gone within a second.
export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return
  }
  const exited = once(child, 'exit')
  const force = setTimeout(() => child.kill('SIGKILL'), 1_000)
  if (child.connected) {
    child.disconnect()
  } else {
    child.kill()
  }
  await exited
  clearTimeout(force)
}
