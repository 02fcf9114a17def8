import { describe, expect, test } from 'vitest'
import { CacheRiskMemo, sharedCacheRisks as cacheRisks } from './cache-risks.js'

describe('shared cache risks', () => {
  type Headers = { 'cache-control'?: string; vary?: string; expires?: string }
  const memo = new CacheRiskMemo()
  /** The answer, checked to be the memo's too. */
  const sharedCacheRisks = (headers: Headers, status: number, now: number): string[] => {
    const response = {
      cacheControl: headers['cache-control'],
      vary: headers.vary,
      expires: headers.expires,
      status,
      now,
    }
    const risks = cacheRisks(response)
    expect(memo.risks(response)).toEqual(risks)
    return risks
  }

  test('sharedCacheRisks: statuses a cache would not store are never a risk', () => {
    expect(sharedCacheRisks({ 'cache-control': 'public' }, 500, 0)).toEqual([])
    expect(sharedCacheRisks({ 'cache-control': 'public' }, 302, 0)).toEqual([])
  })

  test('sharedCacheRisks: the same answer for a pair seen last, first or in turn', () => {
    const none = {}
    const safe = { 'cache-control': 'no-store', vary: 'Cookie' }
    const risky = { 'cache-control': 'PUBLIC, max-age=60' }
    const expected = [
      'Cache-Control: public',
      'Cache-Control: max-age=60 without private/no-store',
      'no Vary: Cookie',
    ]
    for (let round = 0; round < 2; round++) {
      expect(sharedCacheRisks(none, 200, 0)).toEqual(['no Vary: Cookie'])
      expect(sharedCacheRisks(none, 200, 0)).toEqual(['no Vary: Cookie'])
      expect(sharedCacheRisks(safe, 200, 0)).toEqual([])
      expect(sharedCacheRisks(risky, 200, 0)).toEqual(expected)
      expect(sharedCacheRisks(risky, 200, 0)).toEqual(expected)
    }
  })

  test('sharedCacheRisks: a past Expires or max-age=0 is not a risk by itself', () => {
    const past = { expires: 'Thu, 01 Jan 1970 00:00:01 GMT', vary: 'Cookie' }
    expect(sharedCacheRisks(past, 200, Date.now())).toEqual([])
    expect(sharedCacheRisks({ 'cache-control': 'max-age=0', vary: 'Cookie' }, 200, 0)).toEqual([])
  })
})
