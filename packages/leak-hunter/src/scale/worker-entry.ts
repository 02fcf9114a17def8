// The module a worker process runs: the built .js beside this file, or under tsx (tests, the
// bench) the .ts source, with tsx loaded in the child too.
export function workerEntry(): { path: URL; execArgv?: string[] } {
  const fromSource = import.meta.url.endsWith('.ts')
  // A debugger port of the parent's would clash in every worker.
  const inherited = process.execArgv.filter((a) => !a.startsWith('--inspect'))
  if (!fromSource) {
    return { path: new URL('./worker-main.js', import.meta.url), execArgv: inherited }
  }
  const hasTsx = inherited.some((a, i) => a === 'tsx' && inherited[i - 1] === '--import')
  return {
    path: new URL('./worker-main.ts', import.meta.url),
    execArgv: hasTsx ? inherited : ['--import', 'tsx'],
  }
}
