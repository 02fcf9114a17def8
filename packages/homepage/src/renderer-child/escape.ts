// Escaping for the two places untrusted strings enter the document outside React.

const JSON_UNSAFE = /[<>&\u2028\u2029]/g

/**
 * JSON for embedding inside a <script> element: `<`, `>`, `&`, U+2028 and U+2029 become \uXXXX so
 * no value can close the script element, open a comment, or break a JS parser.
 */
export function serializeForScript(value: unknown): string {
  const json = JSON.stringify(value)
  return json.replace(JSON_UNSAFE, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`)
}

const HTML_UNSAFE = /[&<>"']/g
const HTML_ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
}

/** Text or double-quoted attribute value in the document shell. */
export function escapeHtml(text: string): string {
  return text.replace(HTML_UNSAFE, (ch) => HTML_ENTITIES[ch] ?? ch)
}
