import express, { type RequestHandler } from 'express';
import { AppError } from '../errors/app-error';

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const MAX_DEPTH = 20;

declare module 'express-serve-static-core' {
  interface Request {
    rawBody?: Buffer;
  }
}

function hasBody(req: Parameters<RequestHandler>[0]): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/** Refuses bodies that are not JSON (415) before any parsing happens. */
export const requireJson: RequestHandler = (req, _res, next) => {
  if (hasBody(req) && !req.is(['application/json', 'application/*+json'])) {
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send the body as application/json.');
  }
  next();
};

/** Parses JSON (gzip, deflate or br encoded, or not), keeping the raw bytes for webhook signatures. */
export function parseJson(limitBytes: number): RequestHandler {
  const parse = express.json({
    limit: limitBytes,
    type: ['application/json', 'application/*+json'],
    verify: (req, _res, buf) => {
      (req as unknown as { rawBody: Buffer }).rawBody = buf;
    },
  });
  return (req, res, next) =>
    parse(req, res, (err?: unknown) => {
      // body-parser gives each error of its own a `type`; an untyped one is the stream it read the body
      // through failing, which for an encoded body is the decompressor refusing bytes that are not
      // what Content-Encoding says (zlib's Z_DATA_ERROR, or Z_BUF_ERROR when truncated).
      if (err && (err as { type?: string }).type === undefined) {
        return next(
          new AppError('MALFORMED_JSON', 'The body could not be decompressed as its Content-Encoding says.', {
            errors: [{ path: '(root)', message: 'is not valid data for its Content-Encoding' }],
          }),
        );
      }
      next(err);
    });
}

/** Prototype-pollution keys and absurd nesting are refused outright rather than silently dropped. */
export const rejectDangerousJson: RequestHandler = (req, _res, next) => {
  const problem = inspect(req.body, 0, '');
  if (problem) throw new AppError('VALIDATION_FAILED', 'The body contains a forbidden structure.', { errors: [problem] });
  next();
};

function inspect(value: unknown, depth: number, path: string): { path: string; message: string } | null {
  if (value === null || typeof value !== 'object') return null;
  if (depth > MAX_DEPTH) return { path: path || '(root)', message: `must not nest deeper than ${MAX_DEPTH} levels` };
  for (const key of Object.keys(value)) {
    const child = path ? `${path}.${key}` : key;
    if (FORBIDDEN_KEYS.has(key)) return { path: child, message: 'is a reserved key' };
    const found = inspect((value as Record<string, unknown>)[key], depth + 1, child);
    if (found) return found;
  }
  return null;
}
