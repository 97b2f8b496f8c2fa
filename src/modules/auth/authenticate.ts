import type { RequestHandler } from 'express';
import { AppError } from '../../shared/errors/app-error';
import type { Pool } from 'pg';
import { hashKey, recentPrincipal, resolveKey } from './api-keys';
import type { Role } from './principal';

// Auth schemes are case-insensitive (RFC 9110 §11.1): `bearer` and `BEARER` are the same scheme.
const BEARER = /^Bearer\s+([A-Za-z0-9_\-.~+/=]{8,200})\s*$/i;

function bearerKey(header: string | undefined): string | undefined {
  return header ? BEARER.exec(header)?.[1] : undefined;
}

/**
 * Attaches the principal of a key this process resolved moments ago, without I/O, so that the rate
 * limits of a known caller can be checked in one Redis call. Anything else is left to authenticate.
 */
export function recogniseKnownKey(adminApiKey: string): RequestHandler {
  const adminKeyHash = hashKey(adminApiKey);
  return (req, _res, next) => {
    const key = bearerKey(req.headers.authorization);
    if (key) req.principal = recentPrincipal(adminKeyHash, key);
    next();
  };
}

/** Requires `Authorization: Bearer <key>` and attaches the caller's principal. */
export function authenticate(pool: Pool, adminApiKey: string): RequestHandler {
  const adminKeyHash = hashKey(adminApiKey);
  return async (req, _res, next) => {
    if (req.principal) return next();
    const key = bearerKey(req.headers.authorization);
    if (!key) throw new AppError('UNAUTHENTICATED', 'Send an API key as "Authorization: Bearer <key>".');
    const principal = await resolveKey(pool, adminKeyHash, key);
    if (!principal) throw new AppError('UNAUTHENTICATED', 'The API key is unknown or revoked.');
    req.principal = principal;
    next();
  };
}

/** Lets the listed roles through; admin may do everything. */
export function requireRole(...roles: Role[]): RequestHandler {
  return (req, _res, next) => {
    const role = req.principal?.role;
    if (role === 'admin' || (role && roles.includes(role))) return next();
    throw new AppError('FORBIDDEN', `This endpoint needs one of the roles: ${['admin', ...roles].join(', ')}.`);
  };
}
