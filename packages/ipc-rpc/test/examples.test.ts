// The README's examples must run as documented.
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { expect, test, vi } from 'vitest'

// Child processes start slowly on a loaded 2-core machine; keep real bounds, not 5 s defaults.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 })

const packageDir = fileURLToPath(new URL('..', import.meta.url))

test('examples/child-process renders every page for its own user', async () => {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', 'examples/child-process/main.ts'],
    { cwd: packageDir, timeout: 30_000 }
  )
  expect(stdout).toContain('ok       u0 <h1>Welcome, Mary</h1> (8 online)')
  expect(stdout).toContain('8 pages, 0 mismatches')
  expect(stdout).not.toContain('MISMATCH')
})

test('examples/pool renders every page for its own user on two to four children', async () => {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', 'examples/pool/main.ts'],
    { cwd: packageDir, timeout: 30_000 }
  )
  expect(stdout).toMatch(/^40 pages from [234] children, 0 mismatches$/m)
})
