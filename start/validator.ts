/*
|--------------------------------------------------------------------------
| Validation messages
|--------------------------------------------------------------------------
*/
import vine, { SimpleMessagesProvider } from '@vinejs/vine'

/**
 * Messages in plain words, naming the field.
 */
vine.messagesProvider = new SimpleMessagesProvider(
  {
    'required': 'Enter {{ field }}.',
    'string': 'The {{ field }} must be text.',
    'email': 'Enter a valid email address, like name@agency.com.',
    'minLength': 'The {{ field }} needs at least {{ min }} characters.',
    'maxLength': 'The {{ field }} can be at most {{ max }} characters.',
    'in': 'Choose one of the listed values for {{ field }}.',
    'regex': 'The {{ field }} has an invalid format.',
    'number': 'The {{ field }} must be a number.',
    'min': 'The {{ field }} must be at least {{ min }}.',
    'max': 'The {{ field }} must be at most {{ max }}.',
    'database.unique': 'This {{ field }} is already taken.',
    'confirmed': 'The two passwords do not match.',
    'timezone.in': 'Choose a valid IANA timezone, like Europe/Berlin or America/New_York.',
    'slug.regex': 'Use lowercase letters, digits and dashes only, like acme-coffee.',
    'color.regex': 'Use a hex colour like #4f46e5.',
    'accounts.required': 'Choose at least one account to add.',
    'accounts.minLength': 'Choose at least one account to add.',
  },
  {
    fullName: 'full name',
    email: 'email address',
    password: 'password',
    passwordConfirmation: 'password confirmation',
    name: 'name',
    slug: 'URL name',
    timezone: 'timezone',
    brandTone: 'tone of voice',
    brandAudience: 'audience',
    bannedWords: 'words to avoid',
    defaultHashtags: 'default hashtags',
    defaultTextModel: 'default text model',
    defaultImageModel: 'default image model',
    monthlyAiBudgetUsd: 'monthly AI budget',
    role: 'role',
    accounts: 'accounts',
  }
)
