import env from '#start/env'
import { SecretsKeyring } from '#services/secrets_keyring'

export { SecretsKeyring, SecretsError } from '#services/secrets_keyring'

/** The app's keyring, from SECRETS_KEY or APP_KEY. */
const secrets = SecretsKeyring.fromConfig(env.get('SECRETS_KEY'), env.get('APP_KEY').release())
export default secrets
