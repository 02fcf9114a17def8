import { existsSync, readFileSync } from 'node:fs'
import { availableParallelism, cpus, loadavg, release, totalmem } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..')

export function machineText(): string {
  const model = cpus()[0]?.model.trim() ?? 'unknown CPU'
  const gib = Math.round(totalmem() / 2 ** 30)
  return `nproc ${availableParallelism()} (${model}), ${gib} GiB, Linux ${release()}`
}

export function loadText(): string {
  return loadavg()
    .map((v) => v.toFixed(2))
    .join(' / ')
}

// Versions as installed, read from disk because some peers do not export their package.json.
export function packageVersions(names: readonly string[]): string {
  return names
    .map((name) => {
      for (const base of [
        join(packageDir, 'node_modules'),
        join(packageDir, '../../node_modules'),
      ]) {
        const file = join(base, name, 'package.json')
        if (existsSync(file)) {
          const { version } = JSON.parse(readFileSync(file, 'utf8')) as { version: string }
          return `${name} ${version}`
        }
      }
      return `${name} (not found)`
    })
    .join(', ')
}
