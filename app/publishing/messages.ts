import type Post from '#models/post'
import type Workspace from '#models/workspace'
import type { ComposeIntent } from '#actions/posts/compose_post'

/** What the composer says after a save, with the time in the workspace's timezone and offset */
export function scheduledMessage(post: Post, intent: ComposeIntent, workspace: Workspace) {
  const at = post.scheduledAt?.setZone(workspace.timezone)
  const when = at
    ? `${at.toFormat('ccc d LLL yyyy, HH:mm')} (${workspace.timezone}, UTC${at.toFormat('ZZ')})`
    : ''
  if (post.approvalState === 'pending' && intent !== 'save') {
    return at && intent !== 'publish_now'
      ? `Sent for approval. Once approved it goes out ${when}.`
      : 'Sent for approval. It goes out as soon as it is approved.'
  }
  switch (intent) {
    case 'schedule':
      return `Scheduled for ${when}.`
    case 'publish_now':
      return 'Publishing now. Each account shows its status below.'
    case 'submit':
      return 'Sent for approval.'
    default:
      return post.status === 'draft' ? 'Saved as a draft.' : 'Changes saved.'
  }
}
