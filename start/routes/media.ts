/*
| The media library of a workspace: uploads and AI images (the public files
| of the local disk storage are served at /media/* by start/routes.ts).
*/
import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'
import { controllers } from '#generated/controllers'

router
  .group(() => {
    router.get('/media', [controllers.MediaLibrary, 'index']).as('media.index')
    router.post('/media', [controllers.MediaLibrary, 'store']).as('media.store')
    router.put('/media/:media', [controllers.MediaLibrary, 'update']).as('media.update')
    router.delete('/media/:media', [controllers.MediaLibrary, 'destroy']).as('media.destroy')
  })
  .prefix('/w/:workspace')
  .use([middleware.auth(), middleware.workspace()])
