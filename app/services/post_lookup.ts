import NotFoundException from '#exceptions/not_found_exception'
import Post from '#models/post'
import PostTarget from '#models/post_target'
import type Workspace from '#models/workspace'

const ID = /^\d{1,9}$/

/** A post of this workspace; another workspace's id (or none) is a 404 */
export async function postOfWorkspace(workspace: Workspace, id: string): Promise<Post> {
  const post = ID.test(id)
    ? await Post.query().where('workspace_id', workspace.id).where('id', id).first()
    : null
  if (!post) throw new NotFoundException()
  return post
}

/** A target of this post; another post's target is a 404 */
export async function targetOfPost(post: Post, id: string): Promise<PostTarget> {
  const target = ID.test(id)
    ? await PostTarget.query().where('post_id', post.id).where('id', id).first()
    : null
  if (!target) throw new NotFoundException()
  return target
}
