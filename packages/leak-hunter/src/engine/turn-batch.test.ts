import { setImmediate as nextTurn } from 'node:timers/promises'
import { describe, expect, test } from 'vitest'
import { TurnBatch } from './turn-batch.js'
import type { TurnMember } from './turn-batch.js'

/** A member that logs its calls; `onProceed` runs inside proceed(). */
function member(name: string, log: string[], onProceed?: () => void): TurnMember {
  return {
    settle: () => log.push(`settle ${name}`),
    proceed: () => {
      log.push(`proceed ${name}`)
      onProceed?.()
    },
  }
}

describe('TurnBatch', () => {
  test('settles every member of a turn before any proceeds, in arrival order, after the I/O', async () => {
    const batch = new TurnBatch()
    const log: string[] = []
    batch.add(member('a', log))
    batch.add(member('b', log))
    batch.add(member('c', log))
    // Nothing runs inside the caller (undici's parser) or in its microtasks.
    await Promise.resolve()
    expect(log).toEqual([])
    await nextTurn()
    expect(log).toEqual(['settle a', 'settle b', 'settle c', 'proceed a', 'proceed b', 'proceed c'])
  })

  test('a member added while a turn is handled waits for the next turn and is not lost', async () => {
    const batch = new TurnBatch()
    const log: string[] = []
    // b's proceed() hands a response over at once (a request undici rejects synchronously).
    batch.add(member('a', log))
    batch.add(member('b', log, () => batch.add(member('late', log))))
    await nextTurn()
    expect(log).toEqual(['settle a', 'settle b', 'proceed a', 'proceed b'])
    await nextTurn()
    expect(log.slice(4)).toEqual(['settle late', 'proceed late'])
    // The batch is reusable: a later turn starts empty.
    batch.add(member('d', log))
    await nextTurn()
    expect(log.slice(6)).toEqual(['settle d', 'proceed d'])
  })
})
