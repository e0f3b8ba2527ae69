import vine from '@vinejs/vine'
import { email, fullName, newPassword } from '#validators/rules'

export const setupValidator = vine.create({
  fullName: fullName(),
  email: email(),
  password: newPassword().confirmed({ confirmationField: 'passwordConfirmation' }),
})

export const signInValidator = vine.create({
  email: vine.string().trim().toLowerCase().maxLength(254),
  password: vine.string().maxLength(128),
})

export const createUserValidator = vine.create({
  fullName: fullName(),
  email: email().unique({ table: 'users', column: 'email' }),
  password: newPassword(),
  isAdmin: vine.boolean().optional(),
})

export const resetPasswordValidator = vine.create({
  password: newPassword(),
})
