import vine from '@vinejs/vine'

const id = () => vine.number().positive().withoutDecimals()

/**
 * A list from a form: a single value when one checkbox is ticked, or an object
 * with numeric keys (the body parser turns indexes past 20 into keys).
 */
function asList(value: unknown) {
  if (value === undefined || value === null || Array.isArray(value)) return value
  if (typeof value === 'object') {
    return Object.entries(value)
      .sort(([a], [b]) => Number(a) - Number(b))
      .map(([, item]) => item)
  }
  return [value]
}

const ids = (max: number) => vine.array(id()).maxLength(max).parse(asList)

const part = vine.object({
  text: vine.string().maxLength(25_000).optional(),
  mediaIds: ids(10).optional(),
})

/**
 * The composer's form: base text and media, the accounts, each account's own
 * variant (keyed `a<account id>`: the body parser would read numeric keys as
 * a compacted array), several parts making a thread, the time in the
 * workspace's timezone, and what to do. Structural buttons (add or remove a thread part) come as
 * `addPart` / `removePart` on the preview endpoint.
 */
export const composePostValidator = vine.create({
  baseText: vine.string().maxLength(25_000).optional(),
  mediaIds: ids(10).optional(),
  accountIds: ids(25).optional(),
  variants: vine
    .record(
      vine.object({
        customize: vine.boolean().optional(),
        parts: vine.array(part).maxLength(25).parse(asList).optional(),
      })
    )
    .optional(),
  scheduleDate: vine
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .optional(),
  scheduleTime: vine
    .string()
    .regex(/^\d{2}:\d{2}$/)
    .optional(),
  intent: vine.enum(['save', 'submit', 'schedule', 'publish_now'] as const).optional(),
  addPart: id().optional(),
  removePart: vine
    .string()
    .regex(/^\d+:\d+$/)
    .optional(),
})

export const rescheduleValidator = vine.create({
  scheduleDate: vine.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  scheduleTime: vine.string().regex(/^\d{2}:\d{2}$/),
})

export const approvalValidator = vine.create({
  comment: vine.string().trim().maxLength(2000).optional(),
})

export const rejectionValidator = vine.create({
  comment: vine.string().trim().minLength(3).maxLength(2000),
})

export const resolveTargetValidator = vine.create({
  resolution: vine.enum(['published', 'publish_again'] as const),
  url: vine
    .string()
    .trim()
    .url({ protocols: ['http', 'https'], require_protocol: true })
    .maxLength(2000)
    .optional()
    .requiredWhen('resolution', '=', 'published'),
})
