/**
 * LinkedIn's Posts API reads `commentary` in its "little" text format, where `\ | { } @ [ ] ( ) < > # * _ ~`
 * are reserved: `@[Name](urn:li:person:…)` is a mention, `{hashtag|#|tag}` or `#tag` a hashtag. Any other
 * unescaped reserved character makes LinkedIn cut the text there, silently (the API still answers 201).
 * So every reserved character is backslash-escaped, except the `#` of a hashtag (`#` at the start or
 * after whitespace, followed by a letter or digit), which stays a clickable hashtag as people expect.
 */
const RESERVED = new Set([
  '\\',
  '|',
  '{',
  '}',
  '@',
  '[',
  ']',
  '(',
  ')',
  '<',
  '>',
  '#',
  '*',
  '_',
  '~',
])

/** Escapes a plain text for `commentary` (see the module comment). */
export function toLittleText(text: string): string {
  const chars = [...text]
  let out = ''
  chars.forEach((char, index) => {
    if (!RESERVED.has(char)) {
      out += char
      return
    }
    if (char === '#') {
      const before = index === 0 ? ' ' : chars[index - 1]
      const after = chars[index + 1] ?? ''
      if (/\s/u.test(before) && /^[\p{L}\p{N}]$/u.test(after)) {
        out += char
        return
      }
    }
    out += `\\${char}`
  })
  return out
}
