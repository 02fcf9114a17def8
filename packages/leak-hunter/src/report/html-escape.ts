const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
}

/** Escapes text for element content and quoted attribute values; the mask NUL becomes a middle dot. */
export function escapeHtml(value: unknown): string {
  // eslint-disable-next-line no-control-regex
  return String(value).replace(/[&<>"'\u0000]/g, (c) => ENTITIES[c] ?? '·')
}
