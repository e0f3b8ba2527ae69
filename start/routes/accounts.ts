/*
|--------------------------------------------------------------------------
| Social accounts
|--------------------------------------------------------------------------
|
| A workspace's accounts (connect, reconnect, disconnect, pick Pages), the
| one OAuth callback URL per platform (registered in each platform's
| developer app; the session knows which workspace started the flow), and
| the admins' "check configuration" of a publisher.
|
*/
import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'
import { controllers } from '#generated/controllers'

router
  .group(() => {
    router.get('/accounts', [controllers.Accounts, 'index']).as('accounts.index')
    router
      .get('/accounts/connect/:plugin', [controllers.Accounts, 'connect'])
      .as('accounts.connect')
    router.post('/accounts/check/:plugin', [controllers.Accounts, 'check']).as('accounts.check')
    router
      .get('/accounts/pick/:pending', [controllers.AccountPicks, 'show'])
      .as('accounts.pick.show')
    router
      .post('/accounts/pick/:pending', [controllers.AccountPicks, 'store'])
      .as('accounts.pick.store')
    router
      .get('/accounts/:id/reconnect', [controllers.Accounts, 'reconnect'])
      .as('accounts.reconnect')
    router.delete('/accounts/:id', [controllers.Accounts, 'destroy']).as('accounts.destroy')
  })
  .prefix('/w/:workspace')
  .use([middleware.auth(), middleware.workspace()])

router
  .get('/oauth/:plugin/callback', [controllers.OauthCallbacks, 'handle'])
  .as('oauth.callback')
  .use(middleware.auth())

router
  .post('/admin/plugins/:id/check', [controllers.admin.PluginChecks, 'store'])
  .as('admin.plugins.check')
  .use([middleware.auth(), middleware.admin()])
