/**
 * A form body encoded the way a browser sends Herald's forms: nested names in
 * brackets with explicit indexes (`variants[a1][parts][0][text]`). The API
 * client's own encoder flattens arrays of objects differently.
 */
export function formBody(values: Record<string, unknown>): string {
  const pairs = new URLSearchParams()
  const add = (name: string, value: unknown) => {
    if (value === undefined || value === null) return
    if (Array.isArray(value)) value.forEach((item, index) => add(`${name}[${index}]`, item))
    else if (typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) add(`${name}[${key}]`, item)
    } else pairs.append(name, String(value))
  }
  for (const [key, value] of Object.entries(values)) add(key, value)
  return pairs.toString()
}
