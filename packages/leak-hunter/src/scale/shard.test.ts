import { expect, test } from 'vitest'
import { parseShard, resolveShard, shardSlice } from './shard.js'

test('--shard I/N is 1-based; its slice starts at I - 1 with stride N', () => {
  expect(parseShard('2/4')).toEqual({ index: 2, count: 4 })
  expect(parseShard(' 1 / 1 ')).toEqual({ index: 1, count: 1 })
  expect(shardSlice({ index: 2, count: 4 })).toEqual({ offset: 1, stride: 4 })
  for (const bad of ['0/4', '5/4', '2', '2/0', 'a/b', '-1/2', '1.5/3']) {
    expect(() => parseShard(bad)).toThrow(
      expect.objectContaining({ code: 'HUNT_ERR_ARGS_INVALID' })
    )
  }
})

test('a Kubernetes Indexed Job: JOB_COMPLETION_INDEX (0-based) with --shards N or LEAK_HUNTER_SHARDS', () => {
  expect(resolveShard(undefined, '3', { JOB_COMPLETION_INDEX: '0' })).toEqual({
    index: 1,
    count: 3,
  })
  expect(
    resolveShard(undefined, undefined, { JOB_COMPLETION_INDEX: '2', LEAK_HUNTER_SHARDS: '3' })
  ).toEqual({ index: 3, count: 3 })
  // JOB_COMPLETION_INDEX alone does not shard: the count must be said.
  expect(resolveShard(undefined, undefined, { JOB_COMPLETION_INDEX: '2' })).toBeUndefined()
  expect(resolveShard('2/5', undefined, { JOB_COMPLETION_INDEX: '0' })).toEqual({
    index: 2,
    count: 5,
  })
  const invalid = expect.objectContaining({ code: 'HUNT_ERR_ARGS_INVALID' })
  expect(() => resolveShard(undefined, '3', {})).toThrow(invalid)
  expect(() => resolveShard(undefined, '3', { JOB_COMPLETION_INDEX: '3' })).toThrow(invalid)
  expect(() => resolveShard(undefined, 'x', { JOB_COMPLETION_INDEX: '0' })).toThrow(invalid)
  expect(() => resolveShard('1/3', '3', {})).toThrow(invalid)
})
