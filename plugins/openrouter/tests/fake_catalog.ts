/**
 * Models the fake OpenRouter lists, shaped like `GET /api/v1/models` entries (prices are decimal strings in
 * USD per token, as the real API returns them).
 */
export interface FakeModel {
  id: string
  canonical_slug: string
  name: string
  created: number
  description: string
  context_length: number
  architecture: {
    modality: string
    input_modalities: string[]
    output_modalities: string[]
    tokenizer: string
    instruct_type: string | null
  }
  pricing: Record<string, string>
  top_provider: {
    context_length: number
    max_completion_tokens: number | null
    is_moderated: boolean
  }
  per_request_limits: null
  supported_parameters: string[]
}

function model(
  id: string,
  name: string,
  contextLength: number,
  inputs: string[],
  outputs: string[],
  pricing: Record<string, string>
): FakeModel {
  return {
    id,
    canonical_slug: id,
    name,
    created: 1_719_000_000,
    description: `${name} (fake)`,
    context_length: contextLength,
    architecture: {
      modality: `${inputs.join('+')}->${outputs.join('+')}`,
      input_modalities: inputs,
      output_modalities: outputs,
      tokenizer: 'Other',
      instruct_type: null,
    },
    pricing,
    top_provider: {
      context_length: contextLength,
      max_completion_tokens: 8192,
      is_moderated: false,
    },
    per_request_limits: null,
    supported_parameters: ['max_tokens', 'temperature'],
  }
}

export const FAKE_MODELS: FakeModel[] = [
  model(
    'anthropic/claude-3.5-sonnet',
    'Anthropic: Claude 3.5 Sonnet',
    200_000,
    ['text', 'image'],
    ['text'],
    {
      prompt: '0.000003',
      completion: '0.000015',
      request: '0',
      image: '0.0048',
    }
  ),
  model('openai/gpt-4o-mini', 'OpenAI: GPT-4o-mini', 128_000, ['text', 'image'], ['text'], {
    prompt: '0.00000015',
    completion: '0.0000006',
    request: '0',
    image: '0.000217',
    input_cache_read: '0.000000075',
  }),
  model(
    'meta-llama/llama-3.3-70b-instruct:free',
    'Meta: Llama 3.3 70B Instruct (free)',
    131_072,
    ['text'],
    ['text'],
    { prompt: '0', completion: '0' }
  ),
  model(
    'google/gemini-2.5-flash-image',
    'Google: Gemini 2.5 Flash Image',
    32_768,
    ['image', 'text'],
    ['image', 'text'],
    {
      prompt: '0.0000003',
      completion: '0.0000025',
      request: '0',
      image: '0.001238',
      // Listed per output image token (1290 tokens per 1024×1024 image).
      image_output: '0.00003',
    }
  ),
  model(
    'black-forest-labs/flux.2-pro',
    'Black Forest Labs: FLUX.2 [pro]',
    46_864,
    ['text', 'image'],
    ['image'],
    {
      prompt: '0',
      completion: '0',
      // Listed per output image.
      image_output: '0.04',
    }
  ),
  model(
    'openai/text-embedding-3-small',
    'OpenAI: Text Embedding 3 Small',
    8192,
    ['text'],
    ['embeddings'],
    {
      prompt: '0.00000002',
      completion: '0',
    }
  ),
  model('openrouter/auto', 'Auto Router', 2_000_000, ['text', 'image'], ['text'], {
    prompt: '-1',
    completion: '-1',
  }),
]

/** Supported `image_config.aspect_ratio` values. */
export const FAKE_ASPECT_RATIOS = [
  '1:1',
  '2:3',
  '3:2',
  '3:4',
  '4:3',
  '4:5',
  '5:4',
  '9:16',
  '16:9',
  '21:9',
]

/** Tokens billed per generated image by per-token image models. */
export const FAKE_TOKENS_PER_IMAGE = 1290

/** Price of one output image for a model, per its `image_output` (per token below $0.001, else per image). */
export function fakeImagePrice(entry: FakeModel): number {
  const price = Number(entry.pricing.image_output ?? '0')
  return price < 0.001 ? price * FAKE_TOKENS_PER_IMAGE : price
}
