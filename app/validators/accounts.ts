import vine from '@vinejs/vine'

/** The accounts picked after a sign-in that reached several (external ids) */
export const pickAccountsValidator = vine.create({
  accounts: vine.array(vine.string().trim().maxLength(191)).minLength(1).distinct(),
})
