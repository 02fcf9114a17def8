import { expect, test } from 'vitest'
import { Barrier } from './barrier.js'

test('every member waits for the release; wait() resolves when all arrived', async () => {
  const b = new Barrier<boolean>(2)
  let all = false
  void b.wait().then(() => (all = true))
  const first = b.arrive(0)
  await Promise.resolve()
  expect(all).toBe(false)
  const second = b.arrive(1)
  await b.wait()
  expect(all).toBe(true)
  b.release(true)
  b.release(false)
  await expect(Promise.all([first, second])).resolves.toEqual([true, true])
  // A member that arrives after the release goes on at once with the same value.
  await expect(b.arrive(1)).resolves.toBe(true)
})

test('a member arriving twice (lost after it arrived) counts once', async () => {
  const b = new Barrier<void>(2)
  void b.arrive(0)
  void b.arrive(0)
  let all = false
  void b.wait().then(() => (all = true))
  await new Promise((r) => setImmediate(r))
  expect(all).toBe(false)
  void b.arrive(1)
  await b.wait()
})
