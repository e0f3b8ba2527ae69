import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'
import { randomBytes } from 'node:crypto'

/**
 * Creates a user from the command line, e.g. to recover access:
 *   node ace user:create --email=ada@agency.test --name="Ada Admin" --admin
 * The password is asked for interactively, taken from --password, or generated
 * and printed once.
 */
export default class UserCreate extends BaseCommand {
  static commandName = 'user:create'
  static description = 'Create a Herald user (use --admin for an admin)'
  static options: CommandOptions = { startApp: true }

  @flags.string({ description: 'Email address', required: true })
  declare email: string

  @flags.string({ description: 'Full name', required: true })
  declare name: string

  @flags.string({ description: 'Password (asked for when omitted in a terminal)' })
  declare password?: string

  @flags.boolean({ description: 'Make the user an admin' })
  declare admin?: boolean

  async run() {
    const { createUserValidator } = await import('#validators/user')
    const { CreateUser } = await import('#actions/users/create_user')
    const { errors } = await import('@vinejs/vine')

    let password = this.password
    let generated = false
    if (!password && process.stdin.isTTY) {
      password = await this.prompt.secure('Password (at least 12 characters)')
    }
    if (!password) {
      password = randomBytes(12).toString('base64url')
      generated = true
    }

    try {
      const input = await createUserValidator.validate({
        fullName: this.name,
        email: this.email,
        password,
        isAdmin: Boolean(this.admin),
      })
      const user = await new CreateUser().execute(input)
      this.logger.success(`Created ${user.isAdmin ? 'admin' : 'user'} ${user.email}`)
      if (generated) {
        this.logger.info(`Generated password (shown once): ${password}`)
      }
    } catch (error) {
      if (error instanceof errors.E_VALIDATION_ERROR) {
        for (const message of error.messages as { message: string }[]) {
          this.logger.error(message.message)
        }
        this.exitCode = 1
        return
      }
      throw error
    }
  }
}
