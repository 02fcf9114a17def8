import { describe, expect, test } from 'vitest'
import { throttleAddress } from './client-ip.js'

describe('throttleAddress', () => {
  test('IPv4 and IPv4-mapped IPv6 count as the IPv4 address', () => {
    expect(throttleAddress('203.0.113.7')).toBe('203.0.113.7')
    expect(throttleAddress('::ffff:203.0.113.7')).toBe('203.0.113.7')
  })

  test('IPv6 counts by its /64, however it is written', () => {
    const a = throttleAddress('2001:db8:0:1::5')
    expect(a).toBe('2001:db8:0:1::/64')
    expect(throttleAddress('2001:0db8:0000:0001:ffff:ffff:ffff:ffff')).toBe(a)
    expect(throttleAddress('2001:db8:0:2::5')).not.toBe(a)
    expect(throttleAddress('::1')).toBe('0:0:0:0::/64')
    expect(throttleAddress('fe80::1%eth0')).toBe('fe80:0:0:0::/64')
  })
})
