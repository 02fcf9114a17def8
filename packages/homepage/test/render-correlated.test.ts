import { readFileSync } from 'node:fs'
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest'
import { createPageRenderer } from '../src/page-renderer/index.js'
import type { PageRenderer, PageRendererOptions } from '../src/page-renderer/index.js'
import { namesUser, renderRequest } from './fixtures/render-users.js'

// The default mode, with real renderer children started through @crosstalk/ipc-rpc's pool. One
// shared renderer (two children, production) serves most tests: child start-up is the slow part.
let shared: PageRenderer
beforeAll(async () => {
  shared = await createPageRenderer({
    mode: 'correlated',
    renderers: 2,
    production: true,
    renderTimeoutMs: 2000,
    renderDelayMs: { min: 0, max: 40 },
  })
}, 30_000)
afterAll(async () => {
  await shared.close()
})

const open: PageRenderer[] = []
afterEach(async () => {
  await Promise.all(open.splice(0).map((r) => r.close()))
})

async function start(options: Partial<PageRendererOptions> = {}): Promise<PageRenderer> {
  const renderer = await createPageRenderer({
    mode: 'correlated',
    renderers: 2,
    production: false,
    renderTimeoutMs: 2000,
    ...options,
  })
  open.push(renderer)
  return renderer
}

function pids(renderer: PageRenderer): number[] {
  return ((renderer.stats() as { children: Array<{ pid: number }> }).children ?? []).map(
    (c) => c.pid
  )
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

describe('correlated mode (ipc-rpc pool)', { timeout: 30_000 }, () => {
  test('many overlapping renders with random delays: each reply is its own user’s page', async () => {
    const renderer = shared
    const ids = Array.from({ length: 80 }, (_, i) => (i % 40) + 1)
    const replies = await Promise.all(
      ids.map((id) => renderer.render(renderRequest(id), { path: '/' }))
    )
    replies.forEach((reply, i) => {
      expect(reply.renderedFor).toBe(ids[i])
      expect(namesUser(reply.html, ids[i]!)).toBe(true)
    })
  })

  test('a timed-out render rejects with 504 and its late reply reaches nobody', async () => {
    const renderer = await start({
      renderers: 1,
      renderTimeoutMs: 100,
      renderDelayMs: { min: 150, max: 150 },
    })
    await expect(renderer.render(renderRequest(1), { path: '/' })).rejects.toMatchObject({
      code: 'HOME_ERR_RENDER_TIMEOUT',
    })
    // The next render cannot be handed the first one's page (contrast: fifo-timeout fault).
    const next = renderer.render(renderRequest(2), { path: '/' })
    await expect(next).rejects.toMatchObject({ code: 'HOME_ERR_RENDER_TIMEOUT' })
  })

  test('an aborted render rejects and does not disturb the others', async () => {
    const renderer = shared
    const controller = new AbortController()
    const aborted = renderer.render(renderRequest(1), { path: '/', signal: controller.signal })
    const other = renderer.render(renderRequest(2), { path: '/' })
    controller.abort()
    await expect(aborted).rejects.toMatchObject({ code: 'HOME_ERR_RENDERER_UNAVAILABLE' })
    expect((await other).renderedFor).toBe(2)
  })

  test('production: children run with NODE_ENV=production', async () => {
    const renderer = shared
    await renderer.render(renderRequest(1), { path: '/' })
    for (const pid of pids(renderer)) {
      const env = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0')
      expect(env).toContain('NODE_ENV=production')
    }
  })

  // Last: closes the shared renderer (afterAll's second close is a no-op).
  test('close() stops every renderer child', async () => {
    const before = pids(shared)
    expect(before).toHaveLength(2)
    await shared.close()
    for (const pid of before) {
      expect(isAlive(pid)).toBe(false)
    }
  })
})
