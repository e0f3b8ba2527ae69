import { RunPreflight } from '#actions/publishing/run_preflight'
import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { DateTime } from 'luxon'
import Post from '#models/post'
import PostTarget from '#models/post_target'
import MediaAsset from '#models/media_asset'
import SocialAccount from '#models/social_account'
import type User from '#models/user'
import type { WorkspaceAccess } from '#services/workspace_access'
import type { ContentPart } from '#publishing/content'
import { Publishers } from '#plugin_host/publishers'
import { TargetQueue, type QueuedTarget } from '#publishing/target_queue'
import { validateTargets } from '#publishing/validate_targets'
import { rollUpPost } from '#publishing/pipeline_store'
import { RecordAuditEvent } from '#actions/audit/record_audit_event'

/**
 * save: keep the post's state (a new post is a draft; a scheduled one stays scheduled)
 * submit: ask for approval (with the time, when one is set)
 * schedule: go out at `scheduleAt` (pending approval first when the workspace requires it)
 * publish_now: go out at once (likewise)
 */
export type ComposeIntent = 'save' | 'submit' | 'schedule' | 'publish_now'

export interface ComposeInput {
  baseText: string
  mediaIds: number[]
  /** Selected accounts, each with its own variant or null for the base content */
  targets: { accountId: number; parts: ContentPart[] | null }[]
  intent: ComposeIntent
  /** Required for `schedule`; kept for `save`/`submit` when given */
  scheduleAt?: DateTime
}

export type ComposeResult =
  { ok: true; post: Post } | { ok: false; errors: Record<string, string[]>; status?: number }

/** Target states a post can be edited in; once one is in flight or out, the post is frozen */
const FROZEN = ['publishing', 'published', 'unknown']
/** States a (re)schedule moves back to `scheduled` */
const RESCHEDULABLE = [
  'draft',
  'scheduled',
  'queued',
  'retrying',
  'held',
  'failed',
  'needs_reconnect',
  'missed',
]

/**
 * The composer's save: content (base text and media, per-account variants),
 * then what to do with it. Validation runs in the publisher plugins for every
 * intent that sends something; problems come back per account, nothing saved.
 * Jobs are added after the commit (the database decides, the queue follows).
 */
@inject()
export class ComposePost {
  constructor(
    private publishers: Publishers,
    private queue: TargetQueue,
    private preflight: RunPreflight
  ) {}

  async execute(
    access: WorkspaceAccess,
    actor: User,
    input: ComposeInput,
    existing?: Post
  ): Promise<ComposeResult> {
    const workspace = access.workspace
    const errors: Record<string, string[]> = {}
    const partsOf = (target: ComposeInput['targets'][number]): ContentPart[] =>
      target.parts ?? [{ text: input.baseText, mediaIds: input.mediaIds }]

    const mediaIds = [
      ...new Set([
        ...input.mediaIds,
        ...input.targets.flatMap((t) => partsOf(t).flatMap((p) => p.mediaIds)),
      ]),
    ]
    const media = new Map(
      (mediaIds.length
        ? await MediaAsset.query().where('workspace_id', workspace.id).whereIn('id', mediaIds)
        : []
      ).map((asset) => [asset.id, asset])
    )
    if (mediaIds.some((id) => !media.has(id))) {
      errors.mediaIds = [
        'An image is no longer in the media library. Remove it and attach it again.',
      ]
    }
    const accountIds = input.targets.map((target) => target.accountId)
    const accounts = new Map(
      (accountIds.length
        ? await SocialAccount.query()
            .where('workspace_id', workspace.id)
            .whereIn('id', accountIds)
            .whereNot('status', 'disabled')
        : []
      ).map((account) => [account.id, account])
    )
    if (accountIds.some((id) => !accounts.has(id))) {
      errors.accountIds = ['An account you picked is no longer connected to this workspace.']
    }

    const sends = input.intent !== 'save'
    if (sends && input.targets.length === 0) {
      errors.accountIds = ['Pick at least one account to publish to.']
    }
    if (input.intent === 'schedule') {
      if (!input.scheduleAt) errors.scheduleAt = ['Pick a date and a time.']
      else if (input.scheduleAt.toMillis() < Date.now() - 60_000) {
        errors.scheduleAt = ['That time has passed. Pick a time in the future, or publish now.']
      }
    }
    if (sends && Object.keys(errors).length === 0) {
      Object.assign(
        errors,
        validateTargets(
          this.publishers,
          input.targets.map((target) => ({
            accountId: target.accountId,
            pluginId: accounts.get(target.accountId)!.pluginId,
            parts: partsOf(target),
          })),
          media
        )
      )
    }
    if (Object.keys(errors).length > 0) return { ok: false, errors }

    const toEnqueue: QueuedTarget[] = []
    const result = await db.transaction(async (trx): Promise<ComposeResult> => {
      const post = existing
        ? await lockPost(trx, existing.id)
        : new Post().merge({ approvalState: 'none', status: 'draft' })
      if (existing) {
        const frozen = await trx
          .from('post_targets')
          .where('post_id', post.id)
          .whereIn('status', FROZEN)
          .first()
        if (frozen) {
          return {
            ok: false,
            status: 409,
            errors: {
              post: [
                'This post is being published or already went out, so it cannot be changed. Duplicate it to post again.',
              ],
            },
          }
        }
      }
      post.useTransaction(trx)
      post.merge({
        workspaceId: workspace.id,
        authorId: post.authorId ?? actor.id,
        baseText: input.baseText,
      })
      if (input.scheduleAt) {
        post.scheduledAt = input.scheduleAt.toUTC()
        post.scheduleTimezone = workspace.timezone
      }
      // An edit by someone who cannot approve sends an approved post back for approval.
      if (existing && post.approvalState === 'approved' && !access.canApprove) {
        post.approvalState = 'pending'
        post.submittedAt = DateTime.now()
      }
      await post.save()
      await this.#syncMedia(trx, post, input.mediaIds)
      const targets = await this.#syncTargets(trx, post, input, accounts)
      await this.#applyIntent(post, targets, input, access, actor, toEnqueue)
      await rollUpPost(trx, post.id)
      await new RecordAuditEvent().execute(
        {
          action: existing ? 'post.updated' : 'post.created',
          userId: actor.id,
          workspaceId: workspace.id,
          subject: { type: 'post', id: post.id },
          meta: { intent: input.intent },
        },
        trx
      )
      return { ok: true, post }
    })
    if (result.ok) {
      // Pre-flight first, so a job due at once already sees a blocking issue.
      await this.preflight.execute(toEnqueue.map((target) => target.id))
      await this.queue.enqueue(toEnqueue)
      await result.post.refresh()
    }
    return result
  }

  async #syncMedia(trx: TransactionClientContract, post: Post, mediaIds: number[]) {
    await trx.from('post_media').where('post_id', post.id).delete()
    if (mediaIds.length === 0) return
    await trx.table('post_media').multiInsert(
      mediaIds.map((mediaAssetId, position) => ({
        post_id: post.id,
        media_asset_id: mediaAssetId,
        position,
      }))
    )
  }

  async #syncTargets(
    trx: TransactionClientContract,
    post: Post,
    input: ComposeInput,
    accounts: Map<number, SocialAccount>
  ): Promise<PostTarget[]> {
    const current = await PostTarget.query({ client: trx }).where('post_id', post.id)
    const wanted = new Set(input.targets.map((target) => target.accountId))
    const removed = current.filter((target) => !wanted.has(target.socialAccountId))
    if (removed.length > 0) {
      // Their jobs find no target and do nothing.
      await trx
        .from('post_targets')
        .whereIn(
          'id',
          removed.map((target) => target.id)
        )
        .delete()
    }
    const kept = new Map(current.map((target) => [target.socialAccountId, target]))
    const targets: PostTarget[] = []
    for (const choice of input.targets) {
      const target =
        kept.get(choice.accountId) ??
        new PostTarget().merge({
          status: 'draft',
          jobSeq: 0,
          attemptCount: 0,
          publishedParts: [],
          preflight: [],
        })
      target.useTransaction(trx)
      target.merge({
        postId: post.id,
        workspaceId: post.workspaceId,
        socialAccountId: choice.accountId,
        pluginId: accounts.get(choice.accountId)!.pluginId,
        overrideParts: choice.parts,
      })
      await target.save()
      targets.push(target)
    }
    return targets
  }

  async #applyIntent(
    post: Post,
    targets: PostTarget[],
    input: ComposeInput,
    access: WorkspaceAccess,
    actor: User,
    toEnqueue: QueuedTarget[]
  ) {
    const requiresApproval = access.workspace.requiresApproval
    let dueAt: DateTime | null = null
    if (input.intent === 'schedule') dueAt = input.scheduleAt!
    else if (input.intent === 'publish_now') dueAt = DateTime.now()
    else if (input.intent === 'submit') dueAt = post.scheduledAt
    else if (input.intent === 'save') {
      // Keep a scheduled post scheduled: accounts added to it join at its time.
      const scheduled = targets.some((target) => target.status !== 'draft')
      dueAt = scheduled ? post.scheduledAt : null
    }

    if (input.intent === 'submit') {
      post.approvalState = 'pending'
      post.submittedAt = DateTime.now()
    } else if (
      (input.intent === 'schedule' || input.intent === 'publish_now') &&
      requiresApproval &&
      post.approvalState !== 'approved'
    ) {
      // Like the agencies' tools: people who may approve schedule directly; others ask.
      if (access.canApprove) {
        post.merge({
          approvalState: 'approved',
          approvalDecidedById: actor.id,
          approvalDecidedAt: DateTime.now(),
        })
      } else {
        post.merge({ approvalState: 'pending', submittedAt: DateTime.now() })
      }
    }
    if (input.intent === 'publish_now') post.scheduledAt = DateTime.now()
    await post.save()

    if (!dueAt) return
    for (const target of targets) {
      const reschedule = input.intent !== 'save' || target.status === 'draft'
      if (!RESCHEDULABLE.includes(target.status) || !reschedule) continue
      target.merge({
        status: 'scheduled',
        dueAt,
        jobSeq: target.jobSeq + 1,
        lastError: null,
        lastErrorDetail: null,
        lastErrorKind: null,
      })
      await target.save()
      toEnqueue.push({
        id: target.id,
        pluginId: target.pluginId,
        jobSeq: target.jobSeq,
        dueAt: dueAt.toJSDate(),
      })
    }
  }
}

/** The post, locked for this transaction after its targets (the pipeline's lock order) */
async function lockPost(trx: TransactionClientContract, id: number) {
  await trx.from('post_targets').where('post_id', id).orderBy('id').forUpdate().select('id')
  return Post.query({ client: trx }).where('id', id).forUpdate().firstOrFail()
}
