import type { ErrorRequestHandler, Response } from 'express';
import { ZodError } from 'zod';
import { AppError, ERROR_CODES, type ErrorCode, type FieldError } from './app-error';
import type { Logger } from '../logger';

const PROBLEM_BASE = 'https://handoff.dev/problems/';

/** Renders an RFC 9457 problem document; `code` is kept as an extension member for clients. */
export function sendProblem(
  res: Response,
  code: ErrorCode,
  detail: string,
  extra: { errors?: FieldError[]; retryAfterSeconds?: number; instance?: string } = {},
): void {
  const { status, title } = ERROR_CODES[code];
  if (extra.retryAfterSeconds !== undefined) res.setHeader('Retry-After', String(Math.max(1, Math.ceil(extra.retryAfterSeconds))));
  res
    .status(status)
    .type('application/problem+json')
    .send(
      JSON.stringify({
        type: PROBLEM_BASE + code.toLowerCase().replace(/_/g, '-'),
        title,
        status,
        detail,
        ...(extra.errors ? { errors: extra.errors } : {}),
        code,
        ...(extra.instance ? { instance: extra.instance } : {}),
        ...(res.req?.id ? { requestId: String(res.req.id) } : {}),
      }),
    );
}

/** Zod issues as the contract's `errors: [{ path, message }]`, with JSON-pointer-like dotted paths. */
export function zodFieldErrors(error: ZodError): FieldError[] {
  return error.issues.map((issue) => ({ path: issue.path.map(String).join('.') || '(root)', message: issue.message }));
}

/**
 * SQLSTATEs that mean the server, not the request, is the problem: class 08 (connection
 * exceptions) and 57P01-57P03 (shut down by an admin, crashed, or not accepting connections yet,
 * as while it recovers from a crash). adapter-pg carries the code as `code` or `originalCode`.
 */
const SERVER_UNAVAILABLE_SQLSTATE = /^(08...|57P0[123])$/;

/** Whether an error means Postgres or Redis is unavailable (answered 503), searched through its causes. */
export function isDependencyDown(err: unknown): boolean {
  const e = err as { code?: string; originalCode?: string; name?: string; message?: string; cause?: unknown };
  if (SERVER_UNAVAILABLE_SQLSTATE.test(e?.code ?? '') || SERVER_UNAVAILABLE_SQLSTATE.test(e?.originalCode ?? '')) return true;
  const text = `${e?.code ?? ''} ${e?.name ?? ''} ${e?.message ?? ''}`;
  if (/ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|Connection is closed|Stream isn't writeable|enableOfflineQueue|Can't reach database|DatabaseNotReachable|Connection terminated|timeout exceeded when trying to connect|the database system is (starting up|shutting down|not yet accepting connections|in recovery mode)|terminating connection|Server has closed the connection|connection error and is not queryable/i.test(text))
    return true;
  return e?.cause ? isDependencyDown(e.cause) : false;
}

function isJson(raw: unknown): boolean {
  if (typeof raw !== 'string') return false;
  try {
    JSON.parse(raw);
    return true;
  } catch {
    return false;
  }
}

/** The last middleware: every error leaves as problem+json, never as a stack trace. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    if (res.headersSent) return;
    const instance = req.originalUrl;
    if (err instanceof AppError) {
      return sendProblem(res, err.code, err.message, { errors: err.extra.errors, retryAfterSeconds: err.extra.retryAfterSeconds, instance });
    }
    if (err instanceof ZodError) {
      return sendProblem(res, 'VALIDATION_FAILED', 'The request does not match the schema.', { errors: zodFieldErrors(err), instance });
    }
    // body-parser errors carry a `type`.
    switch ((err as { type?: string }).type) {
      case 'entity.parse.failed':
        // Strict parsing refuses a bare value ("null", "42", "\"text\"") too; that is valid JSON of the wrong shape.
        if (isJson((err as { body?: unknown }).body)) {
          return sendProblem(res, 'VALIDATION_FAILED', 'The body must be a JSON object.', { errors: [{ path: '(root)', message: 'must be a JSON object' }], instance });
        }
        return sendProblem(res, 'MALFORMED_JSON', 'The body is not valid JSON.', { errors: [{ path: '(root)', message: 'is not valid JSON' }], instance });
      case 'entity.too.large':
        return sendProblem(res, 'PAYLOAD_TOO_LARGE', `The body exceeds the limit of ${(err as { limit?: number }).limit} bytes.`, { instance });
      case 'encoding.unsupported':
      case 'charset.unsupported':
        return sendProblem(res, 'UNSUPPORTED_MEDIA_TYPE', 'Only UTF-8 JSON bodies are accepted.', { instance });
      case 'request.aborted':
        return;
    }
    // The router decodes path parameters itself: a malformed escape such as `%ZZ` is the caller's error.
    if (err instanceof URIError) {
      return sendProblem(res, 'VALIDATION_FAILED', 'The URL contains a malformed percent-encoding.', {
        errors: [{ path: '(path)', message: 'is not valid percent-encoding' }],
        instance,
      });
    }
    if (isDependencyDown(err)) {
      logger.warn({ err: { message: (err as Error).message }, path: req.path }, 'dependency unavailable');
      return sendProblem(res, 'DEPENDENCY_UNAVAILABLE', 'A dependency (database or queue) is unavailable. Retry later.', {
        retryAfterSeconds: 5,
        instance,
      });
    }
    logger.error({ err, path: req.path }, 'unhandled error');
    return sendProblem(res, 'INTERNAL', 'An unexpected error occurred.', { instance });
  };
}
