// The login form, rendered by the parent itself: it needs no React and no renderer child.

export function escapeHtml(value: string): string {
  return value
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;')
}

export interface LoginPageOptions {
  csrfToken: string
  /** Shown above the form; never says whether the username or the password was wrong. */
  error?: { code: string; message: string }
  username?: string
}

export function loginPage(options: LoginPageOptions): string {
  const token = escapeHtml(options.csrfToken)
  const error =
    options.error === undefined
      ? ''
      : `<p role="alert" class="error" data-error-code="${escapeHtml(options.error.code)}">${escapeHtml(options.error.message)}</p>`
  return (
    '<!doctype html><html lang="en"><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width, initial-scale=1">' +
    `<meta name="csrf-token" content="${token}">` +
    '<title>Sign in</title></head><body><main>' +
    `<h1>Sign in</h1>${error}` +
    '<form method="post" action="/login">' +
    `<input type="hidden" name="_csrf" value="${token}">` +
    '<p><label for="username">Username</label> ' +
    `<input id="username" name="username" autocomplete="username" required value="${escapeHtml(options.username ?? '')}"></p>` +
    '<p><label for="password">Password</label> ' +
    '<input id="password" name="password" type="password" autocomplete="current-password" required></p>' +
    '<p><button type="submit">Sign in</button></p>' +
    '</form></main></body></html>'
  )
}

export function errorPage(status: number, code: string, message: string): string {
  return (
    '<!doctype html><html lang="en"><head><meta charset="utf-8">' +
    `<title>${status}</title></head><body><main><h1>${status}</h1>` +
    `<p class="error" data-error-code="${escapeHtml(code)}">${escapeHtml(message)}</p>` +
    '<p><a href="/">Home</a></p></main></body></html>'
  )
}
