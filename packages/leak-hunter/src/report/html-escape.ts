import { BIDI_CONTROLS, bidiEscape } from './format.js'

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
}

/**
 * Escapes text for element content and quoted attribute values; the mask NUL becomes a middle dot
 * and bidi controls visible escapes (`\u202e`), so evidence cannot render reversed.
 */
export function escapeHtml(value: unknown): string {
  return (
    String(value)
      // eslint-disable-next-line no-control-regex
      .replace(/[&<>"'\u0000]/g, (c) => ENTITIES[c] ?? '·')
      .replace(BIDI_CONTROLS, bidiEscape)
  )
}
