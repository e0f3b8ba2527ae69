import env from '#start/env'

/**
 * The publishing pipeline (docs/architecture.md §4 and §8.8).
 */
const publishingConfig = {
  /**
   * Publishes running at once per network and worker process: each publisher
   * plugin has its own queue (`publish-<plugin id>`), so a slow or rate-limited
   * network never holds up the others. PUBLISH_CONCURRENCY sets the default;
   * PUBLISH_CONCURRENCY_<PLUGIN ID> (e.g. PUBLISH_CONCURRENCY_LINKEDIN=2) one network.
   */
  concurrency: env.get('PUBLISH_CONCURRENCY', 20),
  concurrencyFor(pluginId: string): number {
    const raw =
      process.env[`PUBLISH_CONCURRENCY_${pluginId.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`]
    const value = raw === undefined ? Number.NaN : Number(raw)
    return Number.isInteger(value) && value > 0 ? value : this.concurrency
  },

  /**
   * How long a claimed attempt may run before the reconciler takes it back:
   * above the slowest publish (media uploads, Instagram containers). Past it, an
   * attempt whose creating request never left is re-queued; one whose request
   * left becomes `unknown`.
   */
  leaseMs: env.get('PUBLISH_LEASE_SECONDS', 120) * 1000,

  /**
   * The longest one publish call may take (uploads, Instagram containers, the
   * creating request). Past it the call is cancelled: before the creating
   * request left that is a temporary failure, after it the outcome is unknown.
   */
  callTimeoutMs: 240_000,

  /** A target still unpublished this long after its time is `missed`, not published late */
  missedWindowMs: env.get('PUBLISH_MISSED_WINDOW_HOURS', 24) * 3_600_000,

  /** Attempts of a target that fails with temporary errors before it is `failed` */
  maxAttempts: 5,

  /** Backoff of temporary failures: base * 2^(n-1), ±20% jitter, capped */
  backoffBaseMs: 30_000,
  backoffMaxMs: 30 * 60_000,

  /**
   * The reconciler runs every minute; a waiting target due longer ago than this
   * without a live job is enqueued again.
   */
  reconcileEveryMs: env.get('PUBLISH_RECONCILE_SECONDS', 60) * 1000,
  orphanGraceMs: env.get('PUBLISH_ORPHAN_GRACE_SECONDS', 60) * 1000,

  /**
   * Pre-flight checks run when a post is scheduled and again in this window
   * before its time (the reconciler), then once more right before the claim
   * (docs/architecture.md §8.11).
   */
  preflightLeadMs: 10 * 60_000,

  /**
   * Whether networks that download media themselves (Meta) can reach Herald's
   * own signed media URLs on APP_URL even though its host looks private
   * (localhost, 10.x, 192.168.x, *.local...). False: such a post is blocked
   * before its time with a reason. MEDIA_URL_REACHABLE=true for a tunnel or
   * proxy the check cannot see, and in tests whose fake Meta runs on
   * 127.0.0.1 (they set it explicitly).
   */
  mediaUrlReachable: env.get('MEDIA_URL_REACHABLE', false),

  /** When `findPublished` looks again for a post whose outcome is unknown */
  resolveUnknownDelaysMs: [30_000, 120_000, 600_000],
}

export default publishingConfig
