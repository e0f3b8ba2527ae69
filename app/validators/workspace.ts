import vine from '@vinejs/vine'
import { timezone, wordList } from '#validators/rules'
import { ROLES } from '#models/membership'
import { email } from '#validators/rules'

const slug = () =>
  vine
    .string()
    .trim()
    .toLowerCase()
    .minLength(2)
    .maxLength(80)
    .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/)

const workspaceFields = {
  name: vine.string().trim().minLength(2).maxLength(120),
  timezone: timezone(),
  color: vine
    .string()
    .trim()
    .regex(/^#[0-9a-fA-F]{6}$/)
    .optional(),
  brandTone: vine.string().trim().maxLength(1000).optional(),
  brandAudience: vine.string().trim().maxLength(1000).optional(),
  bannedWords: wordList(),
  defaultHashtags: wordList(),
  defaultTextModel: vine.string().trim().maxLength(120).optional(),
  defaultImageModel: vine.string().trim().maxLength(120).optional(),
  monthlyAiBudgetUsd: vine.number().min(0).max(1_000_000).optional(),
  requiresApproval: vine.boolean().optional(),
}

export const createWorkspaceValidator = vine.create({
  ...workspaceFields,
  slug: slug().unique({ table: 'workspaces', column: 'slug' }).optional(),
})

export const updateWorkspaceValidator = vine.create(workspaceFields)

export const addMemberValidator = vine.create({
  email: email(),
  role: vine.enum(ROLES),
})

export const changeRoleValidator = vine.create({
  role: vine.enum(ROLES),
})
