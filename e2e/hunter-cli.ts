// The built leak-hunter bin, run as a child process the way a shell user runs it.
import { execFile } from 'node:child_process'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { promisify } from 'node:util'

const require = createRequire(import.meta.url)

export const hunterBin = join(
  dirname(require.resolve('@crosstalk/leak-hunter/package.json')),
  'dist/cli/main.js'
)

export interface HunterResult {
  code: number
  stdout: string
  stderr: string
}

/** Resolves (never rejects on a non-zero exit) with the exit code and the output. */
export function runHunter(args: readonly string[], cwd: string): Promise<HunterResult> {
  return promisify(execFile)(process.execPath, [hunterBin, ...args], {
    cwd,
    maxBuffer: 16 * 1024 * 1024,
  }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (err: { code?: unknown; stdout: string; stderr: string }) => ({
      code: typeof err.code === 'number' ? err.code : -1,
      stdout: err.stdout,
      stderr: err.stderr,
    })
  )
}
