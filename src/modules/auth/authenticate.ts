import type { RequestHandler } from 'express';
import { AppError } from '../../shared/errors/app-error';
import type { Db } from '../../shared/db/prisma';
import { hashKey, resolveKey } from './api-keys';
import type { Role } from './principal';

/** Requires `Authorization: Bearer <key>` and attaches the caller's principal. */
export function authenticate(db: Db, adminApiKey: string): RequestHandler {
  const adminKeyHash = hashKey(adminApiKey);
  return async (req, _res, next) => {
    const header = req.headers.authorization;
    const match = header ? /^Bearer\s+([A-Za-z0-9_\-.~+/=]{8,200})\s*$/.exec(header) : null;
    if (!match) throw new AppError('UNAUTHENTICATED', 'Send an API key as "Authorization: Bearer <key>".');
    const principal = await resolveKey(db, adminKeyHash, match[1]);
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
