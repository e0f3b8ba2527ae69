import type { ChatMessage } from '@herald/plugin-sdk'
import type Workspace from '#models/workspace'

/** What the person asked for */
export const TEXT_PURPOSES = ['generate', 'regenerate', 'shorten_x', 'adapt_linkedin'] as const
export type TextPurpose = (typeof TEXT_PURPOSES)[number]

/** A network the post is for, with its character limit (from the publisher plugin's limits) */
export interface TargetNetwork {
  id: string
  name: string
  maxChars: number
}

/** Limits used when a network's publisher plugin is not installed */
export const FALLBACK_LIMITS: Record<string, { name: string; maxChars: number }> = {
  x: { name: 'X', maxChars: 280 },
  linkedin: { name: 'LinkedIn', maxChars: 3000 },
}

export interface TextPromptInput {
  workspace: Pick<
    Workspace,
    'name' | 'brandTone' | 'brandAudience' | 'bannedWords' | 'defaultHashtags'
  >
  purpose: TextPurpose
  /** The person's request ("announce the spring menu") */
  request: string
  /** The post text as it is now (shorten / adapt work on it) */
  baseText: string
  networks: TargetNetwork[]
  /** Limits of X and LinkedIn for shorten / adapt */
  x: TargetNetwork
  linkedin: TargetNetwork
}

/**
 * The messages of a text generation: a system message with the brand voice
 * (tone, audience, words never to use, hashtags) and the target networks'
 * length limits, then the person's request or the rewrite asked for. The
 * user's words are passed as data, inside the user message, never merged
 * into the instructions.
 */
export function buildTextMessages(input: TextPromptInput): ChatMessage[] {
  const { workspace } = input
  const rules: string[] = [`You write social media posts for the brand "${workspace.name}".`]
  if (workspace.brandTone?.trim()) rules.push(`Tone of voice: ${workspace.brandTone.trim()}`)
  if (workspace.brandAudience?.trim()) rules.push(`Audience: ${workspace.brandAudience.trim()}`)
  if (workspace.bannedWords.length) {
    rules.push(`Never use these words: ${workspace.bannedWords.join(', ')}.`)
  }
  if (workspace.defaultHashtags.length) {
    rules.push(
      `Hashtags the brand uses (add the ones that fit): ${workspace.defaultHashtags.join(' ')}`
    )
  }

  const target = targetFor(input)
  if (target.length) {
    const limit = Math.min(...target.map((network) => network.maxChars))
    rules.push(
      `The post will be published on ${target.map((network) => `${network.name} (at most ${network.maxChars} characters)`).join(', ')}. ` +
        `Keep it within ${limit} characters, hashtags included.`
    )
  }
  rules.push(
    'Answer with the text of the post only: no preamble, no title, no quotes around it, no explanation.'
  )

  return [
    { role: 'system', content: rules.join('\n') },
    { role: 'user', content: userMessage(input) },
  ]
}

/** Networks whose limit applies: the rewrite's own network, else the chosen ones */
function targetFor(input: TextPromptInput): TargetNetwork[] {
  if (input.purpose === 'shorten_x') return [input.x]
  if (input.purpose === 'adapt_linkedin') return [input.linkedin]
  return input.networks
}

function userMessage(input: TextPromptInput): string {
  const extra = input.request.trim()
  const post = input.baseText.trim()
  if (input.purpose === 'shorten_x') {
    return [
      `Shorten this post for X: at most ${input.x.maxChars} characters, same meaning and voice.`,
      extra ? `Also: ${extra}` : '',
      `Post:\n${post}`,
    ]
      .filter(Boolean)
      .join('\n\n')
  }
  if (input.purpose === 'adapt_linkedin') {
    return [
      `Adapt this post for LinkedIn: a strong first line, short paragraphs, professional but in the brand's voice, at most ${input.linkedin.maxChars} characters.`,
      extra ? `Also: ${extra}` : '',
      `Post:\n${post}`,
    ]
      .filter(Boolean)
      .join('\n\n')
  }
  if (input.purpose === 'regenerate') {
    return `${extra}\n\n(Write a different version from the previous one.)`
  }
  return extra
}
