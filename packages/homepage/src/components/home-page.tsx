import type { HomePageData } from '../render-contract/types.js'
import { DetailsToggle } from './details-toggle.js'
import { formatLogin } from './format-login.js'
import { LogoutForm } from './logout-form.js'

// Everything on this page belongs to data.userId; nothing else is read.
export function HomePage({ data }: { data: HomePageData }) {
  return (
    <main className="home">
      <header>
        <h1 id="welcome">{`Welcome, ${data.displayName}`}</h1>
        <LogoutForm csrfToken={data.csrfToken} />
      </header>
      <dl className="account">
        <dt>Username</dt>
        <dd id="username">{data.username}</dd>
        <dt>Email</dt>
        <dd id="email">{data.email}</dd>
        <dt>Account</dt>
        <dd id="account-id">{data.accountId}</dd>
        <dt>Last login</dt>
        <dd id="last-login">{formatLogin(data.lastLoginAt)}</dd>
      </dl>
      <h2>Your private items</h2>
      {data.items.length === 0 ? (
        <p id="no-items">No items yet.</p>
      ) : (
        <ul id="items">
          {data.items.map((item) => (
            <li key={item.id} data-item-id={item.id}>
              {item.title}
            </li>
          ))}
        </ul>
      )}
      <DetailsToggle items={data.items} />
    </main>
  )
}
