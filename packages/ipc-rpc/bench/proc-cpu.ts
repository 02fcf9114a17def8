import { readdirSync, readFileSync } from 'node:fs'

// CPU of the whole process tree (this process plus forked children), read from /proc so that
// peers whose child pids are private (tinypool, workerpool) are counted the same way as ours.
const TICKS_PER_SECOND = 100

function readStat(pid: number): { ppid: number; cpuSeconds: number } | undefined {
  let text: string
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8')
  } catch {
    return undefined
  }
  // The command name may contain spaces; fields are counted after its closing parenthesis.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ')
  const ppid = Number(fields[1])
  const ticks = Number(fields[11]) + Number(fields[12])
  return { ppid, cpuSeconds: ticks / TICKS_PER_SECOND }
}

export function descendantPids(root: number): number[] {
  let entries: string[]
  try {
    entries = readdirSync('/proc').filter((name) => /^\d+$/.test(name))
  } catch {
    return []
  }
  const parentOf = new Map<number, number>()
  for (const name of entries) {
    const stat = readStat(Number(name))
    if (stat) {
      parentOf.set(Number(name), stat.ppid)
    }
  }
  const found = new Set<number>([root])
  let grew = true
  while (grew) {
    grew = false
    for (const [pid, ppid] of parentOf) {
      if (!found.has(pid) && found.has(ppid)) {
        found.add(pid)
        grew = true
      }
    }
  }
  found.delete(root)
  return [...found]
}

export function treeCpuSeconds(children: readonly number[]): number {
  const self = process.cpuUsage()
  let total = (self.user + self.system) / 1e6
  for (const pid of children) {
    total += readStat(pid)?.cpuSeconds ?? 0
  }
  return total
}
