// The load the homepage's benches put on a server: logged-in GET / from many sessions.
import autocannon from 'autocannon'

/** Loads `url` for `seconds` over `connections`, a different session's cookie on every request. */
export async function loadHome(
  url: string,
  cookies: readonly string[],
  connections: number,
  seconds: number
): Promise<autocannon.Result> {
  let next = 0
  return autocannon({
    url,
    connections,
    duration: seconds,
    requests: [
      {
        method: 'GET',
        path: '/',
        // A different session on every request: many users, as in the story.
        setupRequest: (req) => {
          const cookie = cookies[next++ % cookies.length]!
          return { ...req, headers: { ...req.headers, cookie } }
        },
      },
    ],
  })
}
