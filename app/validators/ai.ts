import vine, { SimpleMessagesProvider } from '@vinejs/vine'
import aiConfig from '#config/ai'
import { TEXT_PURPOSES } from '#ai/prompts'

const messages = new SimpleMessagesProvider(
  {
    'imagePrompt.required': 'Describe the image to generate.',
    'imagePrompt.minLength': 'Describe the image in a few more words.',
    'maxLength': 'The {{ field }} can be at most {{ max }} characters.',
    'model.required': 'Choose a model.',
    'imageModel.required': 'Choose an image model.',
    'aspectRatio.in': 'Choose one of the listed aspect ratios.',
    'purpose.in': 'Choose what to generate.',
    'networks.*.regex': 'Choose networks from the list.',
    'source.regex': 'The text field of the composer is not valid.',
  },
  {
    prompt: 'prompt',
    baseText: 'post text',
    model: 'model',
    imagePrompt: 'image description',
    imageModel: 'image model',
    aspectRatio: 'aspect ratio',
  }
)

/** A text generation asked from the composer's AI panel */
export const textGenerationValidator = vine.create({
  purpose: vine.enum(TEXT_PURPOSES).optional(),
  prompt: vine.string().trim().maxLength(4000).optional(),
  baseText: vine.string().maxLength(20_000).optional(),
  model: vine.string().trim().maxLength(300),
  networks: vine
    .array(vine.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/))
    .maxLength(20)
    .optional(),
})
textGenerationValidator.messagesProvider = messages

/** An image asked from the composer's AI panel */
export const imageGenerationValidator = vine.create({
  imagePrompt: vine.string().trim().minLength(3).maxLength(2000),
  imageModel: vine.string().trim().maxLength(300),
  aspectRatio: vine.enum(aiConfig.aspectRatios.map((ratio) => ratio.value)),
  /** id of the composer textarea the panel takes the post text from */
  source: vine
    .string()
    .regex(/^[A-Za-z][\w-]{0,63}$/)
    .optional(),
})
imageGenerationValidator.messagesProvider = messages

/** The monthly AI budget, from the AI usage page (empty = no limit) */
export const budgetValidator = vine.create({
  monthlyAiBudgetUsd: vine.number().min(0).max(1_000_000).optional(),
})
