// Starts a throwaway redis-server on a free 127.0.0.1 port (no persistence) for one test file.
import { afterAll, beforeAll } from 'vitest'
import { spawn, spawnSync } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { createServer } from 'node:net'

export interface RedisHandle {
  url: string
  stop(): Promise<void>
}

export function redisAvailable(): boolean {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.once('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address()
      srv.close(() => resolve(typeof addr === 'object' && addr !== null ? addr.port : 0))
    })
  })
}

export async function startRedis(): Promise<RedisHandle> {
  const port = await freePort()
  const child: ChildProcess = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: ['ignore', 'pipe', 'pipe'] }
  )
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  await new Promise<void>((resolve, reject) => {
    let out = ''
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`redis-server did not start: ${out}`))
    }, 10_000)
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      if (out.includes('Ready to accept connections')) {
        clearTimeout(timer)
        resolve()
      }
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`redis-server exited with ${code}: ${out}`))
    })
  })
  child.stdout?.resume()
  child.stderr?.resume()
  return {
    url: `redis://127.0.0.1:${port}`,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM')
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
        await exited
        clearTimeout(timer)
      }
    },
  }
}

/** Skip reason when redis-server is missing locally; on CI (process.env.CI) its absence fails. */
export function redisSkipReason(): string | undefined {
  if (redisAvailable()) {
    return undefined
  }
  if (process.env.CI) {
    throw new Error('redis-server is required on CI (apt-get install redis-server)')
  }
  return 'redis-server not installed: Redis session tests skipped (they run on CI)'
}

export interface RedisForFile {
  /** Why Redis tests are skipped, or undefined when they run. */
  readonly skip: string | undefined
  /** redis://127.0.0.1:PORT, once beforeAll has run. */
  readonly url: string
}

/** A redis-server for the calling test file: started in beforeAll, stopped in afterAll. */
export function useRedis(): RedisForFile {
  const skip = redisSkipReason()
  let handle: RedisHandle | undefined
  beforeAll(async () => {
    if (skip === undefined) {
      handle = await startRedis()
    }
  }, 30_000)
  afterAll(async () => {
    await handle?.stop()
  })
  return {
    skip,
    get url() {
      if (handle === undefined) {
        throw new Error('Redis is not running (skipped, or used outside a test)')
      }
      return handle.url
    },
  }
}
