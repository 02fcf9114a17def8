#!/usr/bin/env node
// The `homepage` bin: `serve` prints exactly one stdout line once listening; `seed` writes accounts.
import { writeFile } from 'node:fs/promises'
import type { AddressInfo } from 'node:net'
import { HomeError, HomeUsageError } from '../errors.js'
import { accountsCsv, seedUsers } from '../seed/seed-users.js'
import { SEED_USAGE, SERVE_USAGE, USAGE, parseSeedArgs, parseServeArgs, wantsHelp } from './args.js'

async function serve(argv: string[]): Promise<void> {
  const args = parseServeArgs(argv)
  // Loaded here so `homepage seed` does not pull in Fastify, React and the renderer pool.
  const { buildApp } = await import('../server/build-app.js')
  const app = await buildApp({
    ...args.app,
    // stdout carries only the "listening" line; logs go to stderr when asked for.
    logger: args.log ? { level: 'info', stream: process.stderr } : false,
    onEvent: (event, fields) => {
      // The guard's counters on shutdown, always: ids and counts only, never a marker.
      if (event === 'guard-stats') {
        process.stderr.write(`homepage: guard stats ${JSON.stringify(fields)}\n`)
      }
    },
  })
  let closing: Promise<void> | undefined
  const shutdown = (signal: NodeJS.Signals): void => {
    if (closing !== undefined) {
      process.stderr.write(`homepage: ${signal} again, exiting now\n`)
      process.exit(1)
    }
    const guard = setTimeout(() => {
      process.stderr.write('homepage: shutdown took over 15 s, exiting\n')
      process.exit(1)
    }, 15_000)
    guard.unref()
    closing = app.close().then(
      () => {
        clearTimeout(guard)
        process.off('SIGINT', shutdown)
        process.off('SIGTERM', shutdown)
      },
      (err: unknown) => {
        process.stderr.write(`homepage: shutdown failed: ${String(err)}\n`)
        process.exit(1)
      }
    )
  }
  process.on('SIGINT', shutdown)
  process.on('SIGTERM', shutdown)
  try {
    await app.listen({ port: args.port, host: args.host })
  } catch (err) {
    await app.close()
    throw err
  }
  const address = app.server.address() as AddressInfo
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address
  process.stdout.write(`listening on http://${host}:${address.port}\n`)
}

async function seed(argv: string[]): Promise<void> {
  const args = parseSeedArgs(argv)
  const result = await seedUsers({
    users: args.users,
    db: args.db,
    ...(args.seed === undefined ? {} : { seed: args.seed }),
    ...(args.items === undefined ? {} : { itemsPerUser: args.items }),
  })
  await writeFile(args.accounts, accountsCsv(result.accounts), { mode: 0o600 })
  process.stdout.write(
    `seeded ${result.accounts.length} users into ${args.db} in ${(result.elapsedMs / 1000).toFixed(1)} s ` +
      `(seed ${result.seed}); accounts in ${args.accounts}\n`
  )
}

const COMMAND_USAGE = new Map([
  ['serve', SERVE_USAGE],
  ['seed', SEED_USAGE],
])

export async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv
  const usage = COMMAND_USAGE.get(command ?? '')
  if (usage !== undefined && wantsHelp(rest)) {
    process.stdout.write(usage + '\n')
  } else if (command === 'serve') {
    await serve(rest)
  } else if (command === 'seed') {
    await seed(rest)
  } else if (command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(USAGE + '\n')
  } else {
    throw new HomeUsageError(`unknown command "${command ?? ''}"`)
  }
}

const argv = process.argv.slice(2)
main(argv).catch((err: unknown) => {
  if (err instanceof HomeUsageError) {
    const usage = COMMAND_USAGE.get(argv[0] ?? '') ?? USAGE
    process.stderr.write(`homepage: ${err.message}\n${usage}\n`)
    process.exitCode = 2
  } else {
    const code = err instanceof HomeError ? ` [${err.code}]` : ''
    process.stderr.write(`homepage: ${err instanceof Error ? err.message : String(err)}${code}\n`)
    process.exitCode = 1
  }
})
