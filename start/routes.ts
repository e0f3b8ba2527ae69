/*
|--------------------------------------------------------------------------
| Routes
|--------------------------------------------------------------------------
|
| Every route with an id goes through a middleware or policy that scopes it
| to the signed-in user: workspace routes live under /w/:workspace and pass
| the `workspace` middleware (non-members get 404), admin routes pass
| `admin` (non-admins get 404).
|
*/
import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'
import { controllers } from '#generated/controllers'

router.get('/health', [controllers.Health, 'live']).as('health')
router.get('/ready', [controllers.Health, 'ready']).as('ready')

/*
| First run and sign-in
*/
router
  .group(() => {
    router.get('/setup', [controllers.Setup, 'create']).as('setup.create')
    router.post('/setup', [controllers.Setup, 'store']).as('setup.store')
  })
  .use([middleware.setup({ expect: 'pending' }), middleware.guest()])

router
  .group(() => {
    router.get('/login', [controllers.Session, 'create']).as('session.create')
    router.post('/login', [controllers.Session, 'store']).as('session.store')
  })
  .use([middleware.setup({ expect: 'done' }), middleware.guest()])

router
  .post('/logout', [controllers.Session, 'destroy'])
  .as('session.destroy')
  .use(middleware.auth())

/*
| The agency: dashboard and workspaces
*/
router
  .group(() => {
    router.get('/', [controllers.Dashboard, 'index']).as('dashboard')
    router.get('/workspaces/new', [controllers.Workspaces, 'create']).as('workspaces.create')
    router.post('/workspaces', [controllers.Workspaces, 'store']).as('workspaces.store')
  })
  .use([middleware.setup({ expect: 'done' }), middleware.auth()])

/*
| One client workspace
*/
router
  .group(() => {
    router.get('/', [controllers.Workspaces, 'show']).as('workspaces.show')
    router.get('/settings', [controllers.Workspaces, 'edit']).as('workspaces.edit')
    router.put('/settings', [controllers.Workspaces, 'update']).as('workspaces.update')
    router.post('/archive', [controllers.Workspaces, 'archive']).as('workspaces.archive')
    router.post('/restore', [controllers.Workspaces, 'restore']).as('workspaces.restore')

    router.get('/members', [controllers.Members, 'index']).as('members.index')
    router.post('/members', [controllers.Members, 'store']).as('members.store')
    router.put('/members/:membership', [controllers.Members, 'update']).as('members.update')
    router.delete('/members/:membership', [controllers.Members, 'destroy']).as('members.destroy')
  })
  .prefix('/w/:workspace')
  .use([middleware.auth(), middleware.workspace()])

/*
| Admin
*/
router
  .group(() => {
    router.get('/users', [controllers.admin.Users, 'index']).as('admin.users.index')
    router.get('/users/new', [controllers.admin.Users, 'create']).as('admin.users.create')
    router.post('/users', [controllers.admin.Users, 'store']).as('admin.users.store')
    router.get('/users/:id', [controllers.admin.Users, 'edit']).as('admin.users.edit')
    router
      .post('/users/:id/deactivate', [controllers.admin.Users, 'deactivate'])
      .as('admin.users.deactivate')
    router
      .post('/users/:id/activate', [controllers.admin.Users, 'activate'])
      .as('admin.users.activate')
    router
      .put('/users/:id/password', [controllers.admin.Users, 'password'])
      .as('admin.users.password')
  })
  .prefix('/admin')
  .use([middleware.auth(), middleware.admin()])

/*
| Admin: system health and the queue dashboard (bull-board answers every
| method under /admin/queues: its page, static files and JSON API)
*/
router
  .group(() => {
    router.get('/system', [controllers.admin.System, 'show']).as('admin.system.show')
    router.any('/queues', [controllers.admin.Queues, 'handle']).as('admin.queues')
    router.any('/queues/*', [controllers.admin.Queues, 'handle']).as('admin.queues.any')
  })
  .prefix('/admin')
  .use([middleware.auth(), middleware.admin()])

/*
| Admin: plugins (boot report, settings). Media files of the local-media
| storage: signed, expiring URLs for networks that download them (no
| sign-in), the plain path for signed-in people.
*/
router
  .group(() => {
    router.get('/plugins', [controllers.admin.Plugins, 'index']).as('admin.plugins.index')
    router.get('/plugins/:id', [controllers.admin.Plugins, 'edit']).as('admin.plugins.edit')
    router
      .put('/plugins/:id/settings', [controllers.admin.Plugins, 'update'])
      .as('admin.plugins.update')
  })
  .prefix('/admin')
  .use([middleware.auth(), middleware.admin()])

router.get('/media/s/:expires/:signature/*', [controllers.Media, 'signed']).as('media.signed')
router.get('/media/*', [controllers.Media, 'show']).as('media.show').use(middleware.auth())

import '#start/routes/accounts'
import '#start/routes/posts'
import '#start/routes/ai'
import '#start/routes/calendar'
