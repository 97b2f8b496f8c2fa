/** What every AI provider sees besides the redacted question: never personal data. */
export interface AnswerContext {
  /** ISO 639-1 language of the ticket; the answer must be in it. */
  language: string;
  /** Earlier turns of the thread, redacted, oldest first. */
  history: { author: 'customer' | 'ai' | 'agent'; text: string }[];
}

export interface AnswerSource {
  id: string;
  slug: string;
  title: string;
  language: string;
}

export interface AiAnswer {
  text: string;
  /** In [0, 1]; below AI_MIN_CONFIDENCE the answer becomes a draft for a person. */
  confidence: number;
  sources: AnswerSource[];
}

/** One interface for the embedded KB and any OpenAI-compatible model, so the worker does not care which. */
export interface AiProvider {
  readonly name: string;
  answer(redactedText: string, context: AnswerContext): Promise<AiAnswer>;
}

/** A provider call that failed in a way worth retrying (timeouts, 429, 5xx, malformed answers). */
export class ProviderError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'ProviderError';
  }
}
