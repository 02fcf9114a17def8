import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'

// Measured processes must not run the tsx loader, so the bench sources are transpiled to plain JS
// once per run, inside node_modules so that bare imports (birpc, @crosstalk/ipc-rpc) still resolve.
const benchDir = dirname(fileURLToPath(import.meta.url))
export const compiledDir = join(benchDir, '..', 'node_modules', '.cache', 'crosstalk-bench')

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) {
      return sources(path)
    }
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : []
  })
}

export function compileBench(): string {
  rmSync(compiledDir, { recursive: true, force: true })
  for (const file of sources(benchDir)) {
    const out = join(compiledDir, relative(benchDir, file)).replace(/\.ts$/, '.js')
    const { outputText } = ts.transpileModule(readFileSync(file, 'utf8'), {
      fileName: file,
      compilerOptions: {
        module: ts.ModuleKind.ESNext,
        target: ts.ScriptTarget.ES2022,
        verbatimModuleSyntax: true,
      },
    })
    mkdirSync(dirname(out), { recursive: true })
    writeFileSync(out, outputText)
  }
  // node_modules has no package scope of its own; mark the output as ESM explicitly.
  writeFileSync(join(compiledDir, 'package.json'), '{ "type": "module" }\n')
  return compiledDir
}
