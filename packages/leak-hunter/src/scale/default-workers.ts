// How many worker processes `leak-hunter run` uses unless told (--workers): one per core; half the
// cores when the target runs on this host, since serving a request costs a Node server about what
// checking it costs the hunter (bench: client and server CPU per request are alike), so the two
// share the machine evenly; never more than one per MIN_VUS_PER_WORKER VUs, below which one
// process keeps up and another would only cost its start (about 0.3 s and 50 MB).
import { lookup } from 'node:dns/promises'
import { availableParallelism, networkInterfaces } from 'node:os'

export const MIN_VUS_PER_WORKER = 32

function isLoopbackAddress(address: string): boolean {
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.')
}

/** Whether `hostname` names this machine: a loopback address, or one of its interfaces. */
export async function isLocalHost(hostname: string): Promise<boolean> {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase()
  if (host === 'localhost' || host.endsWith('.localhost')) {
    return true
  }
  const own = new Set(
    Object.values(networkInterfaces())
      .flatMap((list) => list ?? [])
      .map((i) => i.address.toLowerCase())
  )
  let addresses: string[]
  try {
    addresses = (await lookup(host, { all: true })).map((a) => a.address.toLowerCase())
  } catch {
    // Not resolvable here: the run will say the target is unreachable; assume it is remote.
    return false
  }
  return addresses.some((a) => isLoopbackAddress(a) || own.has(a))
}

/** The rule above, for `vus` VUs and a target on this host or not. */
export function workersFor(vus: number, targetIsLocal: boolean, cores: number): number {
  const budget = targetIsLocal ? Math.max(1, Math.floor(cores / 2)) : cores
  return Math.max(1, Math.min(budget, Math.ceil(vus / MIN_VUS_PER_WORKER)))
}

export async function defaultWorkers(target: URL, vus: number): Promise<number> {
  return workersFor(vus, await isLocalHost(target.hostname), availableParallelism())
}
