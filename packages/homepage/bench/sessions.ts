// Logs accounts in over real HTTP (GET /login for the pre-session cookie and its form token,
// POST /login) and returns the session cookie header of each.

/** `name=value` of the cookie `name` that `res` sets (sid, or presid from GET /login). */
function cookiePair(res: Response, name: string): string {
  const set = res.headers.getSetCookie()
  const pair = set.map((c) => c.split(';')[0] ?? '').find((c) => c.startsWith(`${name}=`))
  if (pair === undefined || pair === `${name}=`) {
    throw new Error(`no ${name} cookie (status ${res.status})`)
  }
  return pair
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
      cookie: cookiePair(form, 'presid'),
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
  return cookiePair(res, 'sid')
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
