// Bundles the browser hydration entry and stylesheet into dist/public/ with hashed names and
// writes manifest.json, which the renderer reads to link them.
import { mkdir, rm, writeFile } from 'node:fs/promises'
import { basename, join } from 'node:path'
import { stdout } from 'node:process'
import { URL, fileURLToPath } from 'node:url'
import { build } from 'esbuild'

const root = fileURLToPath(new URL('..', import.meta.url))
const outdir = fileURLToPath(new URL('../dist/public/', import.meta.url))

await rm(outdir, { recursive: true, force: true })
await mkdir(outdir, { recursive: true })

const result = await build({
  absWorkingDir: root,
  entryPoints: { hydrate: 'src/client/hydrate.tsx', styles: 'src/client/styles.css' },
  bundle: true,
  minify: true,
  format: 'esm',
  platform: 'browser',
  target: ['es2022'],
  jsx: 'automatic',
  define: { 'process.env.NODE_ENV': '"production"' },
  outdir,
  entryNames: '[name]-[hash]',
  metafile: true,
  legalComments: 'none',
  logLevel: 'warning',
})

const manifest = { script: null, style: null }
for (const [file, meta] of Object.entries(result.metafile.outputs)) {
  if (meta.entryPoint === 'src/client/hydrate.tsx') {
    manifest.script = basename(file)
  } else if (meta.entryPoint === 'src/client/styles.css') {
    manifest.style = basename(file)
  }
}
if (manifest.script === null) {
  throw new Error('build-client: no output for src/client/hydrate.tsx')
}
await writeFile(join(outdir, 'manifest.json'), JSON.stringify(manifest, null, 2))
stdout.write(`build-client: ${manifest.script}, ${manifest.style} -> ${outdir}\n`)
