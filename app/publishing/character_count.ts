import twitterText from 'twitter-text'
import type { CharacterCounting } from '@herald/plugin-sdk'

/**
 * Characters of a text as a network counts them: X weighs CJK and emoji as 2
 * and every link as 23 (twitter-text, X's own library); the others count
 * code points.
 */
export function countCharacters(text: string, counting: CharacterCounting): number {
  if (counting === 'twitter-weighted') return twitterText.parseTweet(text).weightedLength
  return [...text].length
}

/** A counter's state: `near` from 90% of the limit, `over` past it */
export function counterTone(count: number, max: number): 'ok' | 'near' | 'over' {
  if (count > max) return 'over'
  if (count >= max * 0.9) return 'near'
  return 'ok'
}
