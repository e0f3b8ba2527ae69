import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * The post roll-up and the worker's "record an outcome" as SQL functions, so
 * each is one round trip (docs/architecture.md §8.10, bench figures in
 * docs/benchmarks.md): in a burst of 1,000 publishes the worker's process is
 * bound by socket writes, and a transaction of five statements per outcome
 * was most of them.
 *
 * - `herald_post_status(statuses, approval)`: the roll-up rule (drafts stay
 *   drafts; a post awaiting approval says so until something went out; then
 *   the worst of its targets decides).
 * - `herald_roll_up_post(post_id)`: locks the post (after the targets, the
 *   pipeline's lock order), recomputes, writes only when it changed.
 * - `herald_record_outcome(...)`: closes an attempt with its outcome and moves
 *   the target, conditionally (the target must still be on this attempt:
 *   publishing, or made unknown meanwhile, which a definite answer
 *   overrides), then rolls the post up. Returns the target's post, job
 *   sequence and plugin, or no row when the reconciler took it elsewhere.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.raw(`
      CREATE FUNCTION herald_post_status(statuses text[], approval text) RETURNS text
      LANGUAGE sql IMMUTABLE AS $$
        SELECT CASE
          WHEN cardinality(statuses) = 0 OR statuses <@ ARRAY['draft'] THEN 'draft'
          WHEN statuses <@ ARRAY['published'] THEN 'published'
          WHEN NOT statuses && ARRAY['published'] AND approval IN ('pending', 'rejected') THEN
            CASE WHEN statuses && ARRAY['held'] THEN 'needs_attention' ELSE 'pending_approval' END
          WHEN statuses && ARRAY['queued', 'publishing', 'retrying'] THEN 'publishing'
          WHEN statuses && ARRAY['unknown', 'needs_reconnect', 'held', 'missed'] THEN 'needs_attention'
          WHEN statuses && ARRAY['failed'] THEN
            CASE WHEN statuses && ARRAY['published'] THEN 'partially_published' ELSE 'failed' END
          WHEN statuses && ARRAY['published'] THEN 'partially_published'
          ELSE 'scheduled'
        END
      $$;

      CREATE FUNCTION herald_roll_up_post(p_post_id integer) RETURNS void
      LANGUAGE plpgsql AS $$
      DECLARE
        current_post record;
        rolled text;
      BEGIN
        SELECT approval_state, status INTO current_post FROM posts WHERE id = p_post_id FOR UPDATE;
        IF NOT FOUND THEN RETURN; END IF;
        SELECT herald_post_status(COALESCE(array_agg(status::text), '{}'), current_post.approval_state)
          INTO rolled FROM post_targets WHERE post_id = p_post_id;
        IF rolled IS DISTINCT FROM current_post.status THEN
          UPDATE posts SET status = rolled, updated_at = now() WHERE id = p_post_id;
        END IF;
      END
      $$;

      CREATE FUNCTION herald_record_outcome(
        p_target_id integer, p_attempt_count integer, p_attempt_id bigint, p_outcome jsonb
      ) RETURNS TABLE (post_id integer, job_seq integer, plugin_id text)
      LANGUAGE plpgsql AS $$
      DECLARE
        new_status text := p_outcome->>'status';
        is_published boolean := new_status = 'published';
        is_retrying boolean := new_status = 'retrying';
        moved record;
      BEGIN
        UPDATE post_targets t SET
               status = new_status,
               published_parts = COALESCE(NULLIF(p_outcome->'parts', 'null'::jsonb), t.published_parts),
               external_id = CASE WHEN is_published THEN p_outcome->>'externalId'
                                  ELSE COALESCE(t.external_id, p_outcome->>'firstExternalId') END,
               url = CASE WHEN is_published THEN p_outcome->>'url'
                          ELSE COALESCE(t.url, p_outcome->>'firstUrl') END,
               published_at = CASE WHEN is_published THEN now() ELSE t.published_at END,
               last_error = p_outcome->>'message',
               last_error_detail = p_outcome->>'detail',
               last_error_kind = p_outcome->>'errorKind',
               due_at = CASE WHEN is_retrying THEN (p_outcome->>'dueAt')::timestamptz ELSE t.due_at END,
               job_seq = t.job_seq + CASE WHEN is_retrying THEN 1 ELSE 0 END,
               updated_at = now()
         WHERE t.id = p_target_id AND t.attempt_count = p_attempt_count
           AND (t.status = 'publishing' OR (t.status = 'unknown' AND new_status <> 'unknown'))
        RETURNING t.post_id, t.job_seq, t.plugin_id INTO moved;
        IF NOT FOUND THEN RETURN; END IF;

        UPDATE publish_attempts
           SET finished_at = now(), outcome = p_outcome->>'attemptOutcome',
               error_kind = p_outcome->>'errorKind', message = p_outcome->>'message',
               response_excerpt = p_outcome->>'detail'
         WHERE id = p_attempt_id;

        PERFORM herald_roll_up_post(moved.post_id);
        post_id := moved.post_id;
        job_seq := moved.job_seq;
        plugin_id := moved.plugin_id;
        RETURN NEXT;
      END
      $$;
    `)
  }

  async down() {
    this.schema.raw(`
      DROP FUNCTION herald_record_outcome(integer, integer, bigint, jsonb);
      DROP FUNCTION herald_roll_up_post(integer);
      DROP FUNCTION herald_post_status(text[], text);
    `)
  }
}
