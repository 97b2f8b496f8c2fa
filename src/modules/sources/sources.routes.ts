import { Router } from 'express';
import { z } from 'zod';
import type { Deps } from '../../shared/deps';
import { AppError } from '../../shared/errors/app-error';
import { sourceName, text } from '../../shared/http/validation';
import { recordAudit } from '../audit';
import { requireRole } from '../auth/authenticate';
import { forgetCachedSource, secretsFromRow, setSigningSecret } from './source-secrets';

export const putSourceSchema = z
  .object({
    // No minimum: the contract sets none and helpdesks' setups vary; docs/security.md recommends a
    // long random one. Printable so it survives helpdesk config screens.
    signingSecret: text(256).pipe(z.string().min(1, 'must not be empty')).nullable(),
    keepPrevious: z.boolean().default(true),
  })
  .strict();

export function sourcesRouter(deps: Deps): Router {
  const router = Router();
  router.use('/v1/sources', requireRole());

  /** Sets (or with null, removes) a helpdesk's webhook signing secret. The secret is never returned. */
  router.put('/v1/sources/:source', async (req, res) => {
    const name = sourceName.safeParse(req.params.source);
    if (!name.success) {
      throw new AppError('VALIDATION_FAILED', 'The source name is invalid.', { errors: [{ path: 'source', message: name.error.issues[0].message }] });
    }
    const input = putSourceSchema.parse(req.body);
    const row = await deps.db.$transaction(async (tx) => {
      const saved = await setSigningSecret(tx, deps.cipher, name.data, input.signingSecret, input.keepPrevious);
      await recordAudit(tx, req.principal!, input.signingSecret === null ? 'source.secret_remove' : 'source.secret_set', 'source', name.data, {
        keepPrevious: input.signingSecret !== null && input.keepPrevious,
      });
      return saved;
    });
    forgetCachedSource(name.data);
    const { secrets, previousValidUntil } = secretsFromRow(row, deps.cipher, deps.config.signingSecretOverlapSeconds);
    res.json({
      source: name.data,
      signed: secrets.length > 0,
      previousSecretValidUntil: secrets.length > 1 ? previousValidUntil!.toISOString() : null,
      updatedAt: row.updatedAt.toISOString(),
    });
  });

  return router;
}
