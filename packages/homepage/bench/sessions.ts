// Logs accounts in over real HTTP (GET /login for the CSRF token, POST /login) and returns the
// session cookie header of each.

function cookiePair(res: Response): string {
  const set = res.headers.getSetCookie()
  const sid = set.map((c) => c.split(';')[0] ?? '').find((c) => /^(__Host-)?sid=./.test(c))
  if (sid === undefined) {
    throw new Error(`no session cookie (status ${res.status})`)
  }
  return sid
}

export async function loginSession(
  origin: string,
  account: { username: string; password: string }
): Promise<string> {
  const form = await fetch(`${origin}/login`)
  const html = await form.text()
  const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1]
  if (csrf === undefined) {
    throw new Error('no CSRF token on /login')
  }
  const res = await fetch(`${origin}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      cookie: cookiePair(form),
      origin,
    },
    body: new URLSearchParams({
      username: account.username,
      password: account.password,
      _csrf: csrf,
    }),
  })
  await res.arrayBuffer()
  if (res.status !== 303) {
    throw new Error(`login of ${account.username} failed: ${res.status}`)
  }
  return cookiePair(res)
}

export async function loginAll(
  origin: string,
  accounts: ReadonlyArray<{ username: string; password: string }>,
  parallel = 8
): Promise<string[]> {
  const cookies: string[] = []
  for (let i = 0; i < accounts.length; i += parallel) {
    cookies.push(
      ...(await Promise.all(accounts.slice(i, i + parallel).map((a) => loginSession(origin, a))))
    )
  }
  return cookies
}
