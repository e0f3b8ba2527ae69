import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'

/**
 * Cleans every string of the request body: NUL characters are removed and
 * lone surrogates become U+FFFD (what UTF-8 encoding does anyway). Neither
 * means anything in text a person types, and both break things downstream:
 * PostgreSQL refuses NUL in text columns, validator.js throws on a lone
 * surrogate. Left in, they would turn a form into a 500.
 */
export default class CleanInputMiddleware {
  handle({ request }: HttpContext, next: NextFn) {
    const body = request.body()
    if (dirty(body)) request.updateBody(cleaned(body) as Record<string, unknown>)
    return next()
  }
}

function dirty(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return value.includes('\u0000') || !value.isWellFormed()
  if (depth > 32 || value === null || typeof value !== 'object') return false
  return Object.values(value).some((item) => dirty(item, depth + 1))
}

function cleaned(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return value.replaceAll('\u0000', '').toWellFormed()
  if (depth > 32 || value === null || typeof value !== 'object') return value
  if (Array.isArray(value)) return value.map((item) => cleaned(item, depth + 1))
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [
      key.replaceAll('\u0000', ''),
      cleaned(item, depth + 1),
    ])
  )
}
