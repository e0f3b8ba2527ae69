/*
|--------------------------------------------------------------------------
| Calendar: a workspace's posts by month, week or day, and moving them
|--------------------------------------------------------------------------
|
| The dashboards keep their routes (GET / in start/routes.ts, GET /w/:workspace
| in the workspace group). Moves come to PUT /calendar/posts/:post: htmx ones
| (drag and drop, "Move" in a chip) get the calendar back, the Move page's
| plain form a redirect (or the page again, 422). A post's "Move" form loads
| on demand (into its chip for htmx, as a page otherwise).
|
*/
import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'
import { controllers } from '#generated/controllers'

router
  .group(() => {
    router.get('/calendar', [controllers.Calendar, 'show']).as('calendar.show')
    router.get('/calendar/posts/:post/move', [controllers.Calendar, 'edit']).as('calendar.edit')
    router.put('/calendar/posts/:post', [controllers.Calendar, 'move']).as('calendar.move')
  })
  .prefix('/w/:workspace')
  .use([middleware.auth(), middleware.workspace()])
