import { expect, test } from 'vitest'
import { isLocalHost, workersFor } from './default-workers.js'

test('one worker per core, half for a local target, at most one per 32 VUs, at least one', () => {
  expect(workersFor(1000, false, 16)).toBe(16)
  expect(workersFor(1000, true, 16)).toBe(8)
  expect(workersFor(64, false, 16)).toBe(2)
  expect(workersFor(65, false, 16)).toBe(3)
  expect(workersFor(1000, true, 2)).toBe(1)
  expect(workersFor(1000, true, 1)).toBe(1)
  expect(workersFor(1, false, 16)).toBe(1)
})

test('loopback names and addresses are this host; an unresolvable name is not', async () => {
  await expect(isLocalHost('127.0.0.1')).resolves.toBe(true)
  await expect(isLocalHost('[::1]')).resolves.toBe(true)
  await expect(isLocalHost('localhost')).resolves.toBe(true)
  await expect(isLocalHost('app.localhost')).resolves.toBe(true)
  await expect(isLocalHost('no-such-host.invalid')).resolves.toBe(false)
})
