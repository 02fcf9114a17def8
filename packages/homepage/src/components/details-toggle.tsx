import { useEffect, useState } from 'react'
import type { HomePageItem } from '../render-contract/types.js'

// The one element that needs hydration: inert (disabled) in server HTML, live once React attaches.
export function DetailsToggle({ items }: { items: HomePageItem[] }) {
  const [hydrated, setHydrated] = useState(false)
  const [open, setOpen] = useState(false)
  useEffect(() => {
    setHydrated(true)
  }, [])
  return (
    <section className="details" data-hydrated={hydrated ? 'true' : 'false'}>
      <button
        type="button"
        id="details-toggle"
        disabled={!hydrated}
        aria-expanded={open}
        onClick={() => {
          setOpen((was) => !was)
        }}
      >
        {open ? 'Hide details' : 'Show details'}
      </button>
      {open ? (
        <p id="details">
          You have {items.length} private {items.length === 1 ? 'item' : 'items'}.
        </p>
      ) : null}
    </section>
  )
}
