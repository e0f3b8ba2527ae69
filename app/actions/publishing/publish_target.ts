import { inject } from '@adonisjs/core'
import logger from '@adonisjs/core/services/logger'
import db from '@adonisjs/lucid/services/db'
import { ResolveUnknownTarget } from '#actions/publishing/resolve_unknown_target'
import {
  isPluginError,
  Permanent,
  type AccountProfile,
  type PublishedPart,
  type PublishMedia,
  type PublishPart,
  type PublishResult,
  type TokenSet,
} from '@herald/plugin-sdk'
import publishingConfig from '#config/publishing'
import SocialAccount from '#models/social_account'
import { Publishers, type PublisherEntry } from '#plugin_host/publishers'
import { redact } from '#plugin_host/context_factory'
import { AccountTokens } from '#services/account_tokens'
import { PrepareMedia } from '#publishing/prepare_media'
import { MarkAccountNeedsReconnect } from '#actions/accounts/mark_account_needs_reconnect'
import { TargetQueue } from '#publishing/target_queue'
import { outcomeOfError, type Outcome } from '#publishing/outcome'
import { mediaOfParts } from '#publishing/target_content'
import {
  claimTarget,
  markRequestSent,
  recordOutcome,
  renewLease,
  savePublishedPart,
  transientFailures,
  type ClaimResult,
  type ClaimedTarget,
  type FollowUp,
} from '#publishing/pipeline_store'
import type { PublishTargetPayload } from '#jobs/publish_target_job'

/** Thrown into a publisher when its attempt lost the lease before the creating request left */
class LeaseLost extends Error {
  constructor() {
    super('This attempt was taken back by the reconciler before the post was sent')
  }
}

type Claimed = Extract<ClaimResult, { kind: 'claimed' }>

/**
 * The worker's side of publishing one target (docs/architecture.md §4): claim
 * it with one conditional UPDATE, open a leased attempt, call the publisher,
 * write what happened at once, then enqueue what follows (a retry at its time,
 * or the reconciliation of an unknown outcome). Idempotent: a job that runs
 * twice, or late, or after a reschedule, finds nothing to claim.
 */
@inject()
export class PublishTarget {
  constructor(
    private publishers: Publishers,
    private tokens: AccountTokens,
    private media: PrepareMedia,
    private queue: TargetQueue
  ) {}

  async execute(payload: PublishTargetPayload, workerId: string) {
    const claim = await claimTarget(payload.targetId, payload.seq, workerId)
    if (claim.kind !== 'claimed') return claim

    const renewal = setInterval(
      () => renewLease(claim.attemptId).catch(() => {}),
      Math.max(1000, Math.floor(publishingConfig.leaseMs / 3))
    )
    let outcome: Outcome | undefined
    let secrets: string[] = []
    try {
      const result = await this.#publish(claim, (values) => (secrets = values))
      outcome = result
    } catch (error) {
      if (error instanceof LeaseLost) {
        logger.warn({ targetId: claim.targetId }, 'publish attempt lost its lease before sending')
        return { kind: 'lost' as const }
      }
      outcome = await this.#failure(claim, error)
    } finally {
      clearInterval(renewal)
    }

    const safe = redactOutcome(outcome, secrets)
    const followUp = await recordOutcome(claim, safe)
    if (followUp) await this.#followUp(followUp)
    logger.info(
      { targetId: claim.targetId, attempt: claim.attemptNo, status: safe.status },
      'publish attempt finished'
    )
    return { kind: 'finished' as const, status: safe.status }
  }

  async #publish(claim: Claimed, exposeSecrets: (values: string[]) => void): Promise<Outcome> {
    const target = claim.target
    const account = target.account
    const entry = this.publishers.get(target.pluginId)
    const parts = await this.#parts(target, entry)

    const problems = entry.publisher.validate({
      parts: parts.map((part) => ({ text: part.text, media: part.media })),
    })
    if (problems.length > 0) {
      throw new Permanent(
        `${entry.plugin.manifest.displayName} would refuse this post: ${problems.map((problem) => problem.message).join(' ')}`,
        { code: 'invalid_draft' }
      )
    }

    let tokens: TokenSet = await this.tokens.fresh(account, { stored: target.secret })
    exposeSecrets([tokens.accessToken, tokens.refreshToken].filter(Boolean) as string[])
    let resumeFrom = target.publishedParts
    try {
      return published(await this.#send(entry, account, tokens, parts, claim, resumeFrom))
    } catch (error) {
      // AuthExpired: the token may have been rotated or revoked since it was read. One refresh,
      // then one more try; a second refusal marks the account for a reconnect.
      if (!isPluginError(error) || error.kind !== 'AuthExpired') throw error
      resumeFrom = error.publishedParts ?? resumeFrom
      tokens = await this.tokens.fresh(account, { rejected: tokens.accessToken })
      exposeSecrets([tokens.accessToken, tokens.refreshToken].filter(Boolean) as string[])
      return published(await this.#send(entry, account, tokens, parts, claim, resumeFrom))
    }
  }

  #send(
    entry: PublisherEntry,
    account: SocialAccount,
    tokens: TokenSet,
    parts: PublishPart[],
    claim: Claimed,
    resumeFrom: PublishedPart[]
  ): Promise<PublishResult> {
    // Settings may be a second old here: a burst of publishes reads them once.
    const call = { timeoutMs: publishingConfig.callTimeoutMs, settingsMaxAgeMs: 1000 }
    return this.publishers.context(entry, call).then((ctx) =>
      entry.publisher.publish(ctx, {
        account: profileOf(account),
        tokens,
        parts,
        idempotencyKey: `herald-${claim.targetId}-${claim.attemptNo}`,
        resumeFrom: resumeFrom.length > 0 ? resumeFrom : undefined,
        beforeCreate: async () => {
          if (!(await markRequestSent(claim.attemptId))) throw new LeaseLost()
        },
        onPartPublished: (part, index) =>
          savePublishedPart(claim.targetId, part, index).catch((error) => {
            logger.error({ err: error, targetId: claim.targetId }, 'could not save a thread part')
          }),
      })
    )
  }

  /**
   * The parts to publish (its own variant, else the base content), each image
   * as the network takes it: converted or cropped into a stored copy when its
   * limits say so, with a public URL when the network downloads it. All of
   * it happens before the creating request (docs/architecture.md §8.12).
   */
  async #parts(target: ClaimedTarget, entry: PublisherEntry): Promise<PublishPart[]> {
    const parts =
      target.overrideParts && target.overrideParts.length > 0
        ? target.overrideParts
        : [{ text: target.baseText, mediaIds: target.mediaIds }]
    const assets = await mediaOfParts(target.workspaceId, parts)
    const prepared: PublishPart[] = []
    for (const part of parts) {
      const media: PublishMedia[] = []
      for (const id of part.mediaIds) {
        const asset = assets.get(id)
        if (!asset) {
          throw new Permanent(
            'An image of this post was deleted from the media library. Attach it again, then retry.',
            { code: 'missing_media' }
          )
        }
        media.push(await this.media.forPublisher(asset, entry.publisher.limits))
      }
      prepared.push({ text: part.text, media })
    }
    return prepared
  }

  /** An error, mapped to what happens next; AuthExpired also marks the account */
  async #failure(claim: Claimed, error: unknown): Promise<Outcome> {
    const target = claim.target
    const requestSent = await this.#requestSent(claim.attemptId)
    const platform = this.publishers.displayName(target.pluginId)
    const failures = (await transientFailures(claim.targetId)) + 1
    const outcome = outcomeOfError(error, {
      platform,
      transientFailures: failures,
      requestSent,
      now: new Date(),
    })
    if (!isPluginError(error)) {
      logger.error({ err: error, targetId: claim.targetId }, 'publish attempt failed unexpectedly')
    }
    if (outcome.status === 'needs_reconnect') {
      const account = await SocialAccount.find(target.socialAccountId)
      // A refused refresh already marked it, with the platform's reason: keep that one.
      if (account?.status === 'active') {
        await new MarkAccountNeedsReconnect().execute(account, outcome.message)
      }
    }
    return outcome
  }

  async #requestSent(attemptId: number) {
    const row = await db
      .from('publish_attempts')
      .where('id', attemptId)
      .select('request_sent_at')
      .first()
    return Boolean(row?.request_sent_at)
  }

  async #followUp(followUp: FollowUp) {
    if (followUp.retry) await this.queue.enqueue([followUp.retry])
    if (followUp.resolveUnknown) {
      await ResolveUnknownTarget.schedule(followUp.resolveUnknown.targetId, 0)
    }
  }
}

function published(result: PublishResult): Outcome {
  const parts = result.parts && result.parts.length > 0 ? result.parts : [result]
  return { status: 'published', externalId: result.externalId, url: result.url, parts }
}

function profileOf(account: SocialAccount): AccountProfile {
  return {
    externalId: account.externalId,
    handle: account.handle,
    displayName: account.displayName,
    avatarUrl: account.avatarUrl ?? undefined,
  }
}

/** Tokens never reach the database, even inside a platform's error message */
function redactOutcome(outcome: Outcome, secrets: string[]): Outcome {
  if (secrets.length === 0 || outcome.status === 'published') return outcome
  return {
    ...outcome,
    message: redact(outcome.message, secrets) as string,
    detail: outcome.detail === undefined ? undefined : (redact(outcome.detail, secrets) as string),
  }
}
