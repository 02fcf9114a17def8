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
