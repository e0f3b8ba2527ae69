/**
 * HTML attributes from an object, every value escaped. Edge's own
 * `$props.toAttrs()` and `html.attrs()` write values unescaped, so a workspace
 * name like `"><script>` would break out of the attribute: components use
 * the `attrs()` global built on this instead.
 */
const ATTRIBUTE_NAME = /^[a-zA-Z_:@][-a-zA-Z0-9_:.@]*$/

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
}

export function escapeHtml(value: string) {
  return value.replace(/[&<>"'`]/g, (char) => ESCAPES[char])
}

function classList(value: unknown): string[] {
  if (!value) return []
  if (typeof value === 'string') return value.split(/\s+/).filter(Boolean)
  if (Array.isArray(value)) return value.flatMap(classList)
  if (typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>)
      .filter(([, enabled]) => Boolean(enabled))
      .map(([name]) => name)
  }
  return []
}

export function stringifyAttributes(values: Record<string, unknown>) {
  const parts: string[] = []
  for (const [name, value] of Object.entries(values)) {
    if (value === false || value === null || value === undefined) continue
    if (!ATTRIBUTE_NAME.test(name)) continue
    if (value === true) {
      parts.push(name)
      continue
    }
    const text =
      name === 'class'
        ? [...new Set(classList(value))].join(' ')
        : Array.isArray(value)
          ? value.join(' ')
          : String(value)
    parts.push(`${name}="${escapeHtml(text)}"`)
  }
  return parts.join(' ')
}
