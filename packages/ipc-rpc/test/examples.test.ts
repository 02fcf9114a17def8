// The README's example must run as documented.
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { expect, test } from 'vitest'

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
