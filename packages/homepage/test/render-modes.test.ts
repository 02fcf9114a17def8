import { afterEach, describe, expect, test } from 'vitest'
import { createPageRenderer } from '../src/page-renderer/index.js'
import { renderDefaults } from '../src/page-renderer/switch-defaults.js'
import type { PageRenderer, PageRendererOptions, RenderReply } from '../src/page-renderer/index.js'
import { namesUser, renderRequest } from './fixtures/render-users.js'

const open: PageRenderer[] = []
afterEach(async () => {
  await Promise.all(open.splice(0).map((r) => r.close()))
})

async function start(options: Partial<PageRendererOptions>): Promise<PageRenderer> {
  const renderer = await createPageRenderer({
    mode: 'in-process',
    renderers: 1,
    production: false,
    renderTimeoutMs: 2000,
    ...options,
  })
  open.push(renderer)
  return renderer
}

/** Renders users 1..n at once; returns, per user, the reply or the error code. */
async function renderMany(
  renderer: PageRenderer,
  n: number
): Promise<Array<{ userId: number; reply?: RenderReply; code?: string }>> {
  const ids = Array.from({ length: n }, (_, i) => i + 1)
  return Promise.all(
    ids.map(async (userId) => {
      try {
        return { userId, reply: await renderer.render(renderRequest(userId), { path: '/' }) }
      } catch (err) {
        return { userId, code: (err as { code: string }).code }
      }
    })
  )
}

/** Retries a render until a renderer answers or the deadline passes; returns renderedFor. */
async function renderWhenBack(renderer: PageRenderer, userId: number, withinMs: number) {
  const deadline = Date.now() + withinMs
  for (;;) {
    try {
      return (await renderer.render(renderRequest(userId), { path: '/' })).renderedFor
    } catch (err) {
      if (Date.now() > deadline) {
        throw err
      }
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  }
}

function crossed(results: Awaited<ReturnType<typeof renderMany>>): number {
  return results.filter((r) => r.reply !== undefined && r.reply.renderedFor !== r.userId).length
}

describe('createPageRenderer options', () => {
  test.each([
    [{ mode: 'bogus' }],
    [{ fault: 'bogus' }],
    [{ renderers: 0 }],
    [{ renderTimeoutMs: 0 }],
    [{ renderDelayMs: { min: 5, max: 1 } }],
  ])('rejects %o with HOME_ERR_BAD_OPTION', async (bad) => {
    await expect(start(bad as Partial<PageRendererOptions>)).rejects.toMatchObject({
      code: 'HOME_ERR_BAD_OPTION',
    })
  })
})

describe('in-process mode', () => {
  test('every concurrent render names its own user and no other', async () => {
    const renderer = await start({ renderDelayMs: { min: 0, max: 15 } })
    const results = await renderMany(renderer, 40)
    for (const { userId, reply } of results) {
      expect(reply?.renderedFor).toBe(userId)
      expect(namesUser(reply?.html ?? '', userId)).toBe(true)
    }
  })

  test('a render slower than renderTimeoutMs rejects with HOME_ERR_RENDER_TIMEOUT', async () => {
    const renderer = await start({ renderDelayMs: { min: 200, max: 200 }, renderTimeoutMs: 20 })
    await expect(renderer.render(renderRequest(1), { path: '/' })).rejects.toMatchObject({
      code: 'HOME_ERR_RENDER_TIMEOUT',
    })
  })

  test('a malformed request is refused with HOME_ERR_BAD_REQUEST', async () => {
    const renderer = await start({})
    const bad = { view: 'home', nonce: 'n', data: { userId: 'x' } } as never
    await expect(renderer.render(bad, { path: '/' })).rejects.toMatchObject({
      code: 'HOME_ERR_BAD_REQUEST',
    })
  })

  test('fault module-state: concurrent renders read each other’s user', async () => {
    const renderer = await start({ fault: 'module-state', renderDelayMs: { min: 0, max: 20 } })
    expect(crossed(await renderMany(renderer, 30))).toBeGreaterThan(0)
  })
})

describe('naive mode (the story’s bug), real children', { timeout: 30_000 }, () => {
  test('one at a time it is correct; overlapping renders get another user’s page', async () => {
    const renderer = await start({
      mode: 'naive',
      renderers: 2,
      renderDelayMs: { min: 0, max: 20 },
    })
    for (const userId of [1, 2, 3]) {
      const reply = await renderer.render(renderRequest(userId), { path: '/' })
      expect(reply.renderedFor).toBe(userId)
      expect(namesUser(reply.html, userId)).toBe(true)
    }
    expect(crossed(await renderMany(renderer, 30))).toBeGreaterThan(0)
    // Every request's listener answered (or timed out) and went away.
    const stats = renderer.stats() as { children: Array<{ listeners: number }> }
    expect(stats.children.every((c) => c.listeners === 0)).toBe(true)
  })

  test('a killed child fails its waiting renders with 503 and is replaced', async () => {
    const renderer = await start({
      mode: 'naive',
      renderers: 1,
      renderDelayMs: { min: 300, max: 300 },
    })
    const pending = renderer.render(renderRequest(1), { path: '/' })
    const stats = renderer.stats() as { children: Array<{ pid: number }> }
    process.kill(stats.children[0]!.pid, 'SIGKILL')
    await expect(pending).rejects.toMatchObject({ code: 'HOME_ERR_RENDERER_UNAVAILABLE' })
    expect((renderer.stats() as { restarts: number }).restarts).toBe(1)
    // The replacement takes renders once it has loaded (tsx start-up can take seconds here).
    expect(await renderWhenBack(renderer, 2, 15_000)).toBe(2)
  })
})

describe('fault fifo-timeout (ChatGPT, March 2023), real children', { timeout: 30_000 }, () => {
  test('a late reply after a timeout is taken by the next waiting render', async () => {
    const renderer = await start({
      mode: 'correlated',
      fault: 'fifo-timeout',
      renderers: 1,
      renderTimeoutMs: 300,
      renderDelayMs: { min: 400, max: 400 },
    })
    // Alice's render times out; Bob's comes next in the queue and receives Alice's page.
    const alice = renderer.render(renderRequest(1), { path: '/' })
    await expect(alice).rejects.toMatchObject({ code: 'HOME_ERR_RENDER_TIMEOUT' })
    const bob = await renderer.render(renderRequest(2), { path: '/' })
    expect(bob.renderedFor).toBe(1)
    expect(namesUser(bob.html, 1)).toBe(true)
  })
})

/** Renders users from..to one after another; stops at the first reply after a timeout. */
async function renderUntilLateReply(renderer: PageRenderer, from: number, to: number) {
  let timedOutAt: number | undefined
  for (let userId = from; userId <= to; userId++) {
    try {
      const reply = await renderer.render(renderRequest(userId), { path: '/' })
      if (timedOutAt !== undefined) {
        return { timedOutAt, userId, renderedFor: reply.renderedFor }
      }
      expect(reply.renderedFor).toBe(userId)
    } catch (err) {
      expect(err).toMatchObject({ code: 'HOME_ERR_RENDER_TIMEOUT' })
      timedOutAt ??= userId
    }
  }
  return { timedOutAt, userId: undefined, renderedFor: undefined }
}

describe('the fifo-timeout fault on its defaults alone', { timeout: 30_000 }, () => {
  test('the 100th render is slow and times out; the next reply goes to a later request', async () => {
    const defaults = renderDefaults('correlated', 'fifo-timeout')
    expect(defaults.slowRender).toEqual({ every: 100, ms: 250 })
    const renderer = await start({ mode: 'correlated', fault: 'fifo-timeout', ...defaults })
    const r = await renderUntilLateReply(renderer, 1, 110)
    expect(r.timedOutAt).toBe(100)
    expect(r.renderedFor).toBe(100)
    expect(r.userId).toBeGreaterThan(100)
  })

  test('the fix under the same slow renders: timeouts, never another user’s page', async () => {
    const defaults = renderDefaults('correlated', 'fifo-timeout')
    const renderer = await start({ mode: 'correlated', ...defaults })
    const r = await renderUntilLateReply(renderer, 1, 110)
    expect(r.timedOutAt).toBe(100)
    expect(r.renderedFor).toBe(r.userId)
  })
})

describe('fault shared-cache (Steam, December 2015)', () => {
  test('the next visitor of the same path gets the previous user’s page', async () => {
    const renderer = await start({ fault: 'shared-cache' })
    const first = await renderer.render(renderRequest(1), { path: '/' })
    const second = await renderer.render(renderRequest(2), { path: '/' })
    expect(first.renderedFor).toBe(1)
    expect(second.renderedFor).toBe(1)
    const other = await renderer.render(renderRequest(3), { path: '/other' })
    expect(other.renderedFor).toBe(3)
  })
})
