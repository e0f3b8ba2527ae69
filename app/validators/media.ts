import vine, { SimpleMessagesProvider } from '@vinejs/vine'

const messages = new SimpleMessagesProvider(
  {
    'file.required': 'Choose an image to upload.',
    'file': 'Choose an image to upload.',
    'altText.maxLength': 'The alt text can be at most {{ max }} characters.',
    'uploadAltText.maxLength': 'The alt text can be at most {{ max }} characters.',
  },
  { file: 'image', altText: 'alt text', uploadAltText: 'alt text' }
)

/**
 * An image uploaded to the media library (type and size are checked on its content). Its alt text
 * has its own name: a re-rendered upload form must not fill every tile's alt text field.
 */
export const uploadMediaValidator = vine.create({
  file: vine.file(),
  uploadAltText: vine.string().trim().maxLength(500).optional(),
})
uploadMediaValidator.messagesProvider = messages

/** Alt text of a media asset */
export const updateMediaValidator = vine.create({
  altText: vine.string().trim().maxLength(500).optional(),
})
updateMediaValidator.messagesProvider = messages
