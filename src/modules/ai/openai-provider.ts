import { z } from 'zod';
import type { Pool } from 'pg';
import { searchKb } from './kb.repository';
import { focusQuestion, rankHits, sourceOf } from './kb-provider';
import { ProviderError, type AiAnswer, type AiProvider, type AnswerContext } from './provider';

export interface OpenAiSettings {
  baseUrl: string;
  apiKey?: string;
  model: string;
  timeoutMs: number;
}

const MAX_ANSWER_CHARS = 8_000;
/** A whole answer inside a Markdown code fence, with or without a language tag. */
const FENCED = /^```(?:json|JSON)?\s*([\s\S]*?)\s*```$/;

// What the model must return inside its message content; anything else is a failed attempt.
const structured = z.object({
  answer: z.string().max(MAX_ANSWER_CHARS),
  confidence: z.number().min(0).max(1),
  sources: z.array(z.string().max(200)).max(10).default([]),
});

const completion = z.object({
  choices: z.array(z.object({ message: z.object({ content: z.string().nullable() }) })).min(1),
});

const SYSTEM_PROMPT = [
  'You are a customer-support assistant. Answer only from the help-centre articles given to you.',
  'Personal data in the question has been replaced by placeholders such as [EMAIL]; never guess it.',
  'Reply with a JSON object: {"answer": string, "confidence": number between 0 and 1, "sources": [slugs of the articles you used]}.',
  'Use a low confidence when the articles do not answer the question. Write the answer in the language named by the user message.',
].join(' ');

/**
 * Any OpenAI-compatible chat-completions endpoint, grounded on the KB articles that full-text
 * search finds for the question. The model is asked for JSON with its confidence. Many compatible
 * servers ignore `response_format` and answer in plain text: that answer is kept, with the confidence
 * the kb provider would give the best grounding article (how well the help centre covers the
 * question), so a question it does not cover still goes to a person. Timeouts, HTTP errors, empty
 * answers and JSON that is not the structure asked for become ProviderError, which the worker
 * retries and finally escalates.
 */
export function createOpenAiProvider(pool: Pick<Pool, 'query'>, settings: OpenAiSettings): AiProvider {
  const url = `${settings.baseUrl.replace(/\/+$/, '')}/chat/completions`;
  return {
    name: 'openai',
    async answer(redactedText: string, context: AnswerContext): Promise<AiAnswer> {
      const articles = await searchKb(pool, context.language, focusQuestion(redactedText, context.language), 3);
      const grounding = articles.map((a) => `### ${a.slug}: ${a.title}\n${a.body}`).join('\n\n') || '(no matching articles)';
      const history = context.history.map((m) => ({ role: m.author === 'customer' ? ('user' as const) : ('assistant' as const), content: m.text }));
      const body = {
        model: settings.model,
        temperature: 0.2,
        response_format: { type: 'json_object' },
        messages: [
          { role: 'system', content: `${SYSTEM_PROMPT}\n\nHelp-centre articles:\n${grounding}` },
          ...history,
          { role: 'user', content: `Language: ${context.language}\n\n${redactedText}` },
        ],
      };
      let res: Response;
      try {
        res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(settings.apiKey ? { authorization: `Bearer ${settings.apiKey}` } : {}) },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(settings.timeoutMs),
        });
      } catch (e) {
        throw new ProviderError((e as Error).name === 'TimeoutError' ? `no answer within ${settings.timeoutMs} ms` : `request failed: ${(e as Error).message}`);
      }
      const raw = await res.text().catch(() => '');
      if (!res.ok) throw new ProviderError(`provider answered ${res.status}`, res.status);
      let content: string | null;
      try {
        content = completion.parse(JSON.parse(raw)).choices[0].message.content;
      } catch {
        throw new ProviderError('provider response is not a chat completion');
      }
      // Models that ignore response_format often wrap the JSON asked for in a Markdown code fence.
      const said = (content ?? '').trim().replace(FENCED, '$1').trim();
      if (said === '') throw new ProviderError('model answer is empty');
      if (!said.startsWith('{')) {
        if (said.length > MAX_ANSWER_CHARS) throw new ProviderError(`model answer is over ${MAX_ANSWER_CHARS} characters`);
        const [best] = rankHits(articles);
        return {
          text: said,
          confidence: best ? Number(best.score.toFixed(4)) : 0,
          // The model did not say what it used; the article the confidence comes from is the one cited.
          sources: best ? [sourceOf(best.hit)] : [],
        };
      }
      let parsed: z.infer<typeof structured>;
      try {
        parsed = structured.parse(JSON.parse(said));
      } catch {
        throw new ProviderError('model answer is not the structured JSON asked for');
      }
      const bySlug = new Map(articles.map((a) => [a.slug, a]));
      return {
        text: parsed.answer,
        confidence: parsed.confidence,
        // Only articles we actually gave it can be cited: a model may invent slugs.
        sources: parsed.sources.filter((s) => bySlug.has(s)).map((s) => sourceOf(bySlug.get(s)!)),
      };
    },
  };
}
