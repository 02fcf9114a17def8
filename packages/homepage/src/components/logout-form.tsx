// A plain form post: logout works with JavaScript disabled.
export function LogoutForm({ csrfToken }: { csrfToken: string }) {
  return (
    <form method="post" action="/logout" className="logout">
      <input type="hidden" name="_csrf" value={csrfToken} />
      <button type="submit" id="logout">
        Log out
      </button>
    </form>
  )
}
