/** One server-sent event. */
export interface SseEvent {
  /** `event:` field, `message` when absent. */
  event: string
  /** The event's `data:` lines joined with `\n`. */
  data: string
}

/**
 * Incremental parser of a `text/event-stream` body (WHATWG HTML, "server-sent events"). Bytes may be split
 * anywhere: inside a UTF-8 character, a field name, between `\r` and `\n`. Lines end with `\n`, `\r\n` or
 * `\r`; a blank line ends an event; `data:` lines of one event are joined with `\n`; lines starting with `:`
 * are comments (OpenRouter's `: OPENROUTER PROCESSING` keep-alives) and are dropped; `id:` and `retry:` are
 * ignored (a chat completion is never resumed).
 */
export class SseParser {
  readonly #decoder = new TextDecoder('utf-8')
  #buffer = ''
  /** The previous chunk ended with `\r`: a `\n` starting the next one belongs to that line end. */
  #skipLineFeed = false
  #data: string[] = []
  #event = ''
  /** Comment lines seen so far (keep-alives). */
  comments = 0

  /** Feeds bytes; returns the events they complete. */
  push(chunk: Uint8Array | string): SseEvent[] {
    const text = typeof chunk === 'string' ? chunk : this.#decoder.decode(chunk, { stream: true })
    return this.#feed(text)
  }

  /**
   * Ends the input: flushes the decoder and dispatches a last event that lacks its blank line (lenient: the
   * spec drops it, but a `data: [DONE]` without the final blank line still means done).
   */
  end(): SseEvent[] {
    const events = this.#feed(this.#decoder.decode())
    if (this.#buffer !== '') {
      this.#line(this.#buffer, events)
      this.#buffer = ''
    }
    this.#dispatch(events)
    return events
  }

  #feed(text: string): SseEvent[] {
    const events: SseEvent[] = []
    let start = 0
    if (this.#skipLineFeed && text.startsWith('\n')) start = 1
    if (text !== '') this.#skipLineFeed = false
    const input = this.#buffer + text.slice(start)
    let from = 0
    for (let index = 0; index < input.length; index++) {
      const char = input[index]
      if (char !== '\n' && char !== '\r') continue
      this.#line(input.slice(from, index), events)
      if (char === '\r') {
        if (index + 1 === input.length) this.#skipLineFeed = true
        else if (input[index + 1] === '\n') index++
      }
      from = index + 1
    }
    this.#buffer = input.slice(from)
    return events
  }

  #line(line: string, events: SseEvent[]): void {
    if (line === '') return this.#dispatch(events)
    if (line.startsWith(':')) {
      this.comments++
      return
    }
    const colon = line.indexOf(':')
    const field = colon === -1 ? line : line.slice(0, colon)
    let value = colon === -1 ? '' : line.slice(colon + 1)
    if (value.startsWith(' ')) value = value.slice(1)
    if (field === 'data') this.#data.push(value)
    else if (field === 'event') this.#event = value
  }

  #dispatch(events: SseEvent[]): void {
    if (this.#data.length > 0) {
      events.push({ event: this.#event || 'message', data: this.#data.join('\n') })
    }
    this.#data = []
    this.#event = ''
  }
}
