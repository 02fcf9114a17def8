import { describe, expect, test } from 'vitest'
import { headerEncoder, parseTemplate, rawEncoder, renderTemplate, urlEncoder } from './template.js'
import type { Template } from './template.js'

function compile(source: string): Template {
  const t = parseTemplate(source)
  if (typeof t === 'string') {
    throw new Error(t)
  }
  return t
}

const scope = {
  account: { username: 'ann lee', email: 'a&b@example.test' },
  vars: new Map([['csrf', 'x/y?z=1']]),
}

describe('templates', () => {
  test('variables and account columns', () => {
    expect(renderTemplate(compile('{{ account.username }}:{{csrf}}'), scope, rawEncoder)).toBe(
      'ann lee:x/y?z=1'
    )
  })

  test('URL context encodes substituted values, never the literal text', () => {
    expect(
      renderTemplate(compile('/users/{{account.username}}?t={{csrf}}'), scope, urlEncoder)
    ).toBe('/users/ann%20lee?t=x%2Fy%3Fz%3D1')
  })

  test('header context refuses CR/LF injection', () => {
    const t = compile('{{evil}}')
    expect(() =>
      renderTemplate(
        t,
        { account: {}, vars: new Map([['evil', 'a\r\nSet-Cookie: x=1']]) },
        headerEncoder
      )
    ).toThrow(expect.objectContaining({ code: 'HUNT_ERR_TEMPLATE' }))
  })

  test('missing values fail with HUNT_ERR_TEMPLATE', () => {
    expect(() => renderTemplate(compile('{{nope}}'), scope, rawEncoder)).toThrow(
      expect.objectContaining({ code: 'HUNT_ERR_TEMPLATE' })
    )
    expect(() => renderTemplate(compile('{{account.nope}}'), scope, rawEncoder)).toThrow(
      expect.objectContaining({ code: 'HUNT_ERR_TEMPLATE' })
    )
  })

  test('malformed placeholders are reported, text without placeholders is kept', () => {
    expect(parseTemplate('{{csrf')).toMatch(/unclosed/)
    expect(parseTemplate('{{a b}}')).toMatch(/not a variable/)
    expect(parseTemplate('{{account.}}')).toMatch(/no account column/)
    expect(renderTemplate(compile('plain } { text'), scope, urlEncoder)).toBe('plain } { text')
  })
})
