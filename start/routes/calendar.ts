/*
|--------------------------------------------------------------------------
| Calendar: a workspace's posts by month, week or day, and moving them
|--------------------------------------------------------------------------
|
| The dashboards keep their routes (GET / in start/routes.ts, GET /w/:workspace
| in the workspace group). Plain "Move to" forms post to PUT
| /posts/:post/schedule with back=calendar (start/routes/posts.ts); htmx moves
| (drag and drop, "Move") come here and get the calendar back. A post's
| "Move" form loads on demand (into its chip for htmx, as a page otherwise).
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
