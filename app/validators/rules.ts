import vine from '@vinejs/vine'

/**
 * Small rule factories shared by the validators.
 */
export const TIMEZONES: readonly string[] = [
  ...new Set(['UTC', ...Intl.supportedValuesOf('timeZone')]),
]

export const email = () => vine.string().trim().toLowerCase().email().maxLength(254)

/** OWASP ASVS: at least 12 characters, no upper bound below 64, no composition rules */
export const newPassword = () => vine.string().minLength(12).maxLength(128)

export const fullName = () => vine.string().trim().minLength(1).maxLength(120)

export const timezone = () =>
  vine
    .string()
    .trim()
    .in(TIMEZONES as string[])

/** Comma- or newline-separated words to a clean, de-duplicated list */
export const wordList = () =>
  vine
    .string()
    .trim()
    .maxLength(2000)
    .optional()
    .transform((value) => [
      ...new Set(
        value
          .split(/[,\n]/)
          .map((word) => word.trim())
          .filter(Boolean)
      ),
    ])
