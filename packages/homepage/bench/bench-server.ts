// One benchmark server (forked by run.ts with NODE_ENV=production): builds the app for the mode
// named in argv, listens on 127.0.0.1, reports its URL over IPC, and closes on disconnect.
import type { IpcMode } from '../src/page-renderer/index.js'

const [mode, db, renderers] = process.argv.slice(2)
if (process.env.NODE_ENV !== 'production') {
  throw new Error('bench-server must run with NODE_ENV=production (React production build)')
}
// Imported after the NODE_ENV check, so React's production build is the one loaded.
const { buildApp } = await import('../src/server/build-app.js')
const app = await buildApp({
  db: db ?? ':memory:',
  ipc: mode as IpcMode,
  renderers: Number(renderers),
  production: true,
  rateLimit: false,
})
const url = await app.listen({ host: '127.0.0.1', port: 0 })
process.send?.({ url })
process.on('disconnect', () => {
  void app.close().then(() => process.exit(0))
})
