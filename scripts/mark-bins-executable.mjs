// Makes every workspace package's `bin` files executable after a build. tsc writes new files
// 0644, and npm links bins only at install time, before a fresh clone has any dist/ to mark.
import { chmodSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const { workspaces } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
for (const folder of workspaces) {
  const pkg = JSON.parse(readFileSync(join(root, folder, 'package.json'), 'utf8'))
  const bins = typeof pkg.bin === 'string' ? [pkg.bin] : Object.values(pkg.bin ?? {})
  for (const bin of bins) {
    chmodSync(join(root, folder, bin), 0o755)
  }
}
