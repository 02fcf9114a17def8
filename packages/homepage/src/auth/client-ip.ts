// The address a throttle counts by. One IPv6 host usually owns a whole /64, so IPv6 counts by
// its /64 prefix; IPv4-mapped IPv6 (::ffff:1.2.3.4) counts as the IPv4 address.
import { isIPv4, isIPv6 } from 'node:net'

function expandIPv6(ip: string): string[] {
  const [head = '', tail] = ip.split('::') as [string, string | undefined]
  const left = head === '' ? [] : head.split(':')
  const right = tail === undefined || tail === '' ? [] : tail.split(':')
  const zeros = tail === undefined ? [] : Array<string>(8 - left.length - right.length).fill('0')
  return [...left, ...zeros, ...right]
}

export function throttleAddress(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip)
  if (mapped?.[1] !== undefined) {
    return mapped[1]
  }
  if (isIPv4(ip) || !isIPv6(ip)) {
    return ip
  }
  const groups = expandIPv6(ip.split('%')[0] ?? ip)
  return `${groups
    .slice(0, 4)
    .map((g) => Number.parseInt(g, 16).toString(16))
    .join(':')}::/64`
}
