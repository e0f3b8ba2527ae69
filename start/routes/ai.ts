/*
| The AI studio of a workspace: AI text (streamed into the composer) and
| images (queued), the AI usage report with its CSV and the monthly budget.
*/
import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'
import { controllers } from '#generated/controllers'
// The media library's routes (one import line in start/routes.ts for the area)
import '#start/routes/media'

router
  .group(() => {
    router.post('/ai/text', [controllers.AiText, 'store']).as('ai.text.store')
    router.post('/ai/images', [controllers.AiImages, 'store']).as('ai.images.store')
    router.get('/ai/images/:generation', [controllers.AiImages, 'show']).as('ai.images.show')

    router.get('/usage', [controllers.AiUsage, 'show']).as('usage.show')
    router.get('/usage.csv', [controllers.AiUsage, 'csv']).as('usage.csv')
    router.put('/usage/budget', [controllers.AiUsage, 'updateBudget']).as('usage.budget')
  })
  .prefix('/w/:workspace')
  .use([middleware.auth(), middleware.workspace()])
