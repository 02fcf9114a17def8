import { hydrateRoot } from 'react-dom/client'
import { HYDRATION_DATA_ID, ROOT_ID } from '../components/dom-ids.js'
import { HomePage } from '../components/home-page.js'
import type { HomePageData } from '../render-contract/types.js'

// The package compiles without the DOM lib (it is a Node package); name the little we use.
interface MinimalDocument {
  getElementById(id: string): (Element & { textContent: string | null }) | null
}
const doc = (globalThis as unknown as { document: MinimalDocument }).document

const dataElement = doc.getElementById(HYDRATION_DATA_ID)
const root = doc.getElementById(ROOT_ID)
if (dataElement !== null && root !== null && dataElement.textContent !== null) {
  const data = JSON.parse(dataElement.textContent) as HomePageData
  hydrateRoot(root, <HomePage data={data} />)
}
