import { Exception } from '@adonisjs/core/exceptions'

/**
 * A 404 for things the user may not know exist: another client's workspace,
 * an admin page for a non-admin.
 */
export default class NotFoundException extends Exception {
  static status = 404
  static code = 'E_NOT_FOUND'
  static message = 'Not found'
}
