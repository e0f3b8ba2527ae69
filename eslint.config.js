import { configApp } from '@adonisjs/eslint-config'

export default configApp({
  ignores: ['build/**', 'tmp/**', 'storage/**', 'public/**', '.adonisjs/**', 'packages/*/build/**'],
})
