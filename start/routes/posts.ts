/*
|--------------------------------------------------------------------------
| Posts: composer, list, detail, approval and the publishing actions
|--------------------------------------------------------------------------
|
| Every route is under /w/:workspace (the workspace middleware turns
| non-members away with 404); post and target ids are looked up inside the
| workspace only (app/services/post_lookup.ts).
|
*/
import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'
import { controllers } from '#generated/controllers'

router
  .group(() => {
    router.get('/compose', [controllers.Composer, 'create']).as('compose.create')
    router.post('/compose/preview', [controllers.Composer, 'preview']).as('compose.preview')
    router.post('/posts', [controllers.Composer, 'store']).as('posts.store')
    router.get('/posts/:post/edit', [controllers.Composer, 'edit']).as('posts.edit')
    router.put('/posts/:post', [controllers.Composer, 'update']).as('posts.update')

    router.get('/posts', [controllers.Posts, 'index']).as('posts.index')
    router.get('/posts/:post', [controllers.Posts, 'show']).as('posts.show')
    router.delete('/posts/:post', [controllers.Posts, 'destroy']).as('posts.destroy')

    router.post('/posts/:post/approve', [controllers.Approvals, 'approve']).as('posts.approve')
    router.post('/posts/:post/reject', [controllers.Approvals, 'reject']).as('posts.reject')

    router.put('/posts/:post/schedule', [controllers.PostSchedule, 'update']).as('posts.reschedule')
    router
      .delete('/posts/:post/schedule', [controllers.PostSchedule, 'destroy'])
      .as('posts.unschedule')

    router
      .post('/posts/:post/targets/:target/retry', [controllers.Targets, 'retry'])
      .as('targets.retry')
    router
      .post('/posts/:post/targets/:target/resolve', [controllers.Targets, 'resolve'])
      .as('targets.resolve')
  })
  .prefix('/w/:workspace')
  .use([middleware.auth(), middleware.workspace()])
