import { describe, expect, test } from 'vitest'
import { IdContext } from './id-context.js'
import type { IdMarkerSpec } from '../types.js'

function holds(spec: Partial<IdMarkerSpec>, text: string, id = '104'): boolean[] {
  const context = new IdContext({
    column: 'userId',
    json: [],
    attributes: [],
    pathSegments: [],
    ...spec,
  })
  const units = Uint16Array.from(text.split(''), (c) => c.charCodeAt(0))
  const out: boolean[] = []
  for (let at = text.indexOf(id); at !== -1; at = text.indexOf(id, at + 1)) {
    out.push(context.holds(units, units.length, at, at + id.length))
  }
  return out
}

describe('JSON field', () => {
  const spec = { json: ['userId', 'ownerId'] }
  test.each([
    ['{"userId":104}'],
    ['{"userId": 104, "x": 1}'],
    ['{"userId" : "104"}'],
    ['[{"ownerId":104}]'],
    ['{"a":1,"userId":104 }'],
  ])('the whole value of a named field: %s', (text) => {
    expect(holds(spec, text)).toEqual([true])
  })

  test.each([
    ['{"itemId":104}', 'another field'],
    ['{"xuserId":104}', 'a name ending in the field name'],
    ['{"userId":"104 "}', 'part of a string'],
    ['{"userId":"1040"}'.replace('1040', '104-5'), 'a longer string'],
    ['{"userId":104.5}', 'a decimal'],
    ['{"ids":[104]}', 'an array element'],
    ['"userId" 104', 'no colon'],
    ['<p>userId: 104</p>', 'prose'],
  ])('not %s (%s)', (text) => {
    expect(holds(spec, text)).toEqual([false])
  })
})

describe('attribute', () => {
  const spec = { attributes: ['data-user-id'] }
  test.each([
    ['<div data-user-id="104">'],
    ["<div data-user-id='104'>"],
    ['<div data-user-id=104>'],
    ['<div class="x" DATA-USER-ID = "104" hidden>'],
    ['<img data-user-id=104/>'],
  ])('the whole value of a named attribute: %s', (text) => {
    expect(holds(spec, text)).toEqual([true])
  })

  test.each([
    ['<li data-item-id="104">'],
    ['<li xdata-user-id="104">'],
    ['<div data-user-id="104 105">'],
    ['<div data-user-id="104\'>'],
    ['<meta content="100_104">'],
  ])('not %s', (text) => {
    expect(holds(spec, text)).toEqual([false])
  })
})

describe('path segment', () => {
  const spec = { pathSegments: ['users'] }
  test.each([
    ['<a href="/users/104">'],
    ['<a href="/users/104/">'],
    ['<a href="https://x.test/api/users/104?tab=1">'],
    ["<a href='/users/104#top'>"],
    ['"url":"/users/104"'],
    ['see users/104 here'],
  ])('after the named segment: %s', (text) => {
    expect(holds(spec, text)).toEqual([true])
  })

  test.each([
    ['<a href="/items/104">'],
    ['<a href="/superusers/104">'],
    ['<a href="/users/104.json">'],
    ['<a href="/users/104,105">'],
    ['<a href="/users/x/104">'],
  ])('not %s', (text) => {
    expect(holds(spec, text)).toEqual([false])
  })
})

test('a spec with several places accepts any of them', () => {
  const spec = { json: ['userId'], attributes: ['data-uid'], pathSegments: ['u'] }
  expect(holds(spec, '{"userId":104} <b data-uid="104"> /u/104/ <i>104</i>')).toEqual([
    true,
    true,
    true,
    false,
  ])
})

test('a match at the very start or end of the text is checked without reading outside it', () => {
  expect(holds({ json: ['userId'], attributes: ['a'], pathSegments: ['u'] }, '104')).toEqual([
    false,
  ])
  expect(holds({ json: ['userId'] }, '"userId":104')).toEqual([true])
})
