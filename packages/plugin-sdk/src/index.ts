/**
 * @herald/plugin-sdk: the contracts Herald plugins implement, the typed errors they throw and the context
 * the host hands them. Zero runtime dependencies. The contract test kit is in `@herald/plugin-sdk/testing`.
 */
export { SDK_VERSION, PLUGIN_KINDS, CONTRACT_VERSIONS, isPluginKind } from './versions.js'
export type { PluginKind, ContractVersion } from './versions.js'

export { definePlugin } from './define_plugin.js'
export type { PluginDefinition, PluginKinds } from './define_plugin.js'

export { REQUIRED_METHODS, OPTIONAL_METHODS, REQUIRED_DATA } from './required_methods.js'
export type { MethodName, DataName } from './required_methods.js'
export { inspectPlugin } from './inspect_plugin.js'

export { MANIFEST_KEY } from './manifest.js'
export type { PluginManifest } from './manifest.js'
export type {
  SettingField,
  SettingOption,
  SettingType,
  SettingValue,
  PluginSettings,
} from './settings.js'

export type { PluginContext } from './context.js'
export type { PluginLogger, LogFn, Clock } from './logger.js'
export type {
  HttpClient,
  HttpRequest,
  HttpResponse,
  HttpMethod,
  HttpBody,
  JsonBody,
} from './http.js'
export {
  HttpTransportError,
  HttpTimeoutError,
  HttpNetworkError,
  HttpBodyUsedError,
  transportFailure,
} from './http_errors.js'
export type { RequestPhase, HttpErrorDetails } from './http_errors.js'

export {
  PLUGIN_ERROR_KINDS,
  PluginError,
  RateLimited,
  Transient,
  AuthExpired,
  Permanent,
  Unknown,
  isPluginError,
} from './errors.js'
export type { PluginErrorKind, PluginErrorOptions, PluginErrorJSON } from './errors.js'
export { classifyHttpFailure, classifyTransportError, platformMessageOf } from './classify.js'
export type { ClassifyOptions } from './classify.js'

export type { ModelInfo, ModelPricing } from './contracts/models.js'
export type {
  AiTextProvider,
  ChatMessage,
  TextRequest,
  TextResult,
  TextUsage,
  TextStreamPart,
} from './contracts/ai_text.js'
export type {
  AiImageProvider,
  AspectRatio,
  ImageRequest,
  ImageResult,
  ImageUsage,
  GeneratedImage,
} from './contracts/ai_image.js'
export type {
  Publisher,
  TokenSet,
  AccountProfile,
  DraftMedia,
  DraftPart,
  PublishDraft,
  ValidationIssue,
  PublishMedia,
  PublishPart,
  PublishInput,
  PublishResult,
  PublishedPart,
  FindPublishedInput,
  FoundPost,
} from './contracts/publisher.js'
export type {
  PublisherLimits,
  PreviewHints,
  OAuthSpec,
  AllyDriverName,
  CharacterCounting,
  CredentialsCheck,
  MediaDelivery,
  AspectRatioRange,
} from './contracts/publisher_spec.js'
export { resolveOAuthSpec, fillSettings } from './oauth.js'
export type { MediaStorage, PutMediaInput, StoredMedia } from './contracts/media_storage.js'
