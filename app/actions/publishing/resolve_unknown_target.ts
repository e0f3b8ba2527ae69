import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import logger from '@adonisjs/core/services/logger'
import publishingConfig from '#config/publishing'
import PostTarget from '#models/post_target'
import SocialAccount from '#models/social_account'
import { Publishers } from '#plugin_host/publishers'
import { AccountTokens } from '#services/account_tokens'
import { TargetQueue } from '#publishing/target_queue'
import { partsOfTarget } from '#publishing/target_content'
import { resolveUnknownAsFound } from '#publishing/pipeline_store'
import { resolveUnknownJob } from '#jobs/resolve_unknown_job'

/**
 * Reconciles a target whose outcome is unknown: asks the publisher's read-only
 * `findPublished` whether the post is live (the part in doubt, for a thread).
 * Found: published (or the thread continues after it). Not found after the
 * last round, or no `findPublished`: the target stays unknown and the post's
 * page asks a person to check (mark published with a link, or publish again).
 * It never publishes anything itself.
 */
@inject()
export class ResolveUnknownTarget {
  constructor(
    private publishers: Publishers,
    private tokens: AccountTokens,
    private queue: TargetQueue
  ) {}

  /** Adds round `round` of the look-up for the target's current attempt */
  static async schedule(targetId: number, round: number) {
    const delay = publishingConfig.resolveUnknownDelaysMs[round]
    if (delay === undefined) return
    const target = await PostTarget.find(targetId)
    if (!target) return
    await resolveUnknownJob
      .dispatch(
        { targetId, attemptNo: target.attemptCount, round },
        { jobId: `resolve-${targetId}-${target.attemptCount}-${round}`, delay }
      )
      .catch((error) =>
        logger.error({ err: error, targetId }, 'could not schedule the look-up of an unknown post')
      )
  }

  async execute(payload: { targetId: number; attemptNo: number; round: number }) {
    const target = await PostTarget.find(payload.targetId)
    if (!target || target.status !== 'unknown' || target.attemptCount !== payload.attemptNo) {
      return 'settled'
    }
    const entry = this.publishers.find(target.pluginId)
    if (!entry?.publisher.findPublished) {
      await this.#askPerson(target, 'cannot look posts up')
      return 'no-lookup'
    }
    try {
      const account = await SocialAccount.findOrFail(target.socialAccountId)
      const tokens = await this.tokens.fresh(account)
      const parts = await partsOfTarget(target)
      const done = target.publishedParts
      const attempt = await db
        .from('publish_attempts')
        .where({ post_target_id: target.id, attempt_no: target.attemptCount })
        .select('started_at')
        .firstOrFail()
      const doubtful = parts[Math.min(done.length, parts.length - 1)]
      const ctx = await this.publishers.context(entry)
      const found = await entry.publisher.findPublished(ctx, {
        account: {
          externalId: account.externalId,
          handle: account.handle,
          displayName: account.displayName,
        },
        tokens,
        text: doubtful.text,
        // A little slack for clock skew between Herald and the platform.
        after: new Date(new Date(attempt.started_at).getTime() - 60_000),
      })
      if (found) {
        const live = [...done, { externalId: found.externalId, url: found.url }]
        const followUp = await resolveUnknownAsFound(
          target.id,
          target.attemptCount,
          live,
          live.length >= parts.length
        )
        if (followUp?.retry) await this.queue.enqueue([followUp.retry])
        return 'found'
      }
    } catch (error) {
      logger.warn({ err: error, targetId: target.id }, 'looking up an unknown post failed')
    }
    if (payload.round + 1 < publishingConfig.resolveUnknownDelaysMs.length) {
      await ResolveUnknownTarget.schedule(target.id, payload.round + 1)
      return 'later'
    }
    await this.#askPerson(target, 'not found')
    return 'not-found'
  }

  async #askPerson(target: PostTarget, why: 'cannot look posts up' | 'not found') {
    const platform = this.publishers.displayName(target.pluginId)
    const message =
      why === 'not found'
        ? `Herald could not find the post on ${platform} after checking several times. Check the account: if the post is there, mark it published with its link; if not, publish it again.`
        : `${platform} gives Herald no way to look the post up. Check the account: if the post is there, mark it published with its link; if not, publish it again.`
    await PostTarget.query()
      .where({ id: target.id, status: 'unknown', attempt_count: target.attemptCount })
      .update({ last_error: message, updated_at: new Date() })
  }
}
