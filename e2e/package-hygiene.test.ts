// What a user installing the packages gets: a LICENSE matching the `license` field, source maps
// that point only at files the tarball ships, and no dependency that refuses our Node version.
import { execFile, execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, normalize } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { describe, expect, test } from 'vitest'

const root = fileURLToPath(new URL('..', import.meta.url))
const readJson = <T>(path: string): T => JSON.parse(readFileSync(join(root, path), 'utf8')) as T
const rootPkg = readJson<{ workspaces: string[]; engines: { node: string } }>('package.json')

/** Published packages: every workspace that is not private. */
const published = rootPkg.workspaces.filter(
  (w) => readJson<{ private?: boolean }>(`${w}/package.json`).private !== true
)

describe('package hygiene', () => {
  test('the LICENSE says MIT, the crosstalk authors, and every package says MIT', () => {
    const license = readFileSync(join(root, 'LICENSE'), 'utf8')
    expect(license).toMatch(/^MIT License\n\nCopyright \(c\) \d{4} the crosstalk authors\n/)
    for (const w of rootPkg.workspaces) {
      expect(readJson<{ license: string }>(`${w}/package.json`).license, w).toBe('MIT')
    }
    for (const w of published) {
      expect(readFileSync(join(root, w, 'LICENSE'), 'utf8'), w).toBe(license)
    }
  })

  test.each(published)(
    '%s: the tarball has its LICENSE, no tests, and every source map resolves inside it',
    async (w) => {
      const { stdout } = await promisify(execFile)('npm', ['pack', '--dry-run', '--json'], {
        cwd: join(root, w),
      })
      const files = new Set(
        (JSON.parse(stdout) as Array<{ files: Array<{ path: string }> }>)[0]!.files.map(
          (f) => f.path
        )
      )
      expect(files.has('LICENSE')).toBe(true)
      expect([...files].filter((f) => /\.test\.|tsbuildinfo/.test(f))).toEqual([])
      const maps = [...files].filter((f) => f.endsWith('.map'))
      expect(maps.length).toBeGreaterThan(0)
      const missing: string[] = []
      for (const map of maps) {
        const { sources } = JSON.parse(readFileSync(join(root, w, map), 'utf8')) as {
          sources: string[]
        }
        for (const source of sources) {
          const target = normalize(join(dirname(map), source))
          if (!files.has(target)) {
            missing.push(`${map} -> ${target}`)
          }
        }
      }
      expect(missing).toEqual([])
    }
  )

  test('regression: no locked dependency requires a newer Node than the engines field allows (EBADENGINE)', () => {
    // The semver that npm itself checks engines with.
    const npmRoot = execFileSync('npm', ['root', '-g'], { encoding: 'utf8' }).trim()
    const semver = createRequire(join(npmRoot, 'npm', 'package.json'))('semver') as {
      minVersion(range: string): { version: string }
      satisfies(version: string, range: string): boolean
    }
    const oldest = semver.minVersion(rootPkg.engines.node).version
    const lock = readJson<{
      packages: Record<string, { engines?: { node?: string }; dev?: boolean }>
    }>('package-lock.json')
    const refusing = Object.entries(lock.packages)
      .filter(([, p]) => p.engines?.node !== undefined && !semver.satisfies(oldest, p.engines.node))
      .map(([name, p]) => `${name} wants node ${p.engines!.node}`)
    expect(refusing).toEqual([])
    expect(oldest).toBe('20.19.0')
  })
})
