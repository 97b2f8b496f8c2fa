import { Router, type RequestHandler } from 'express';
import helmet from 'helmet';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Deps } from '../../shared/deps';
import { AppError } from '../../shared/errors/app-error';
import { listQueues } from '../../shared/http/metrics.routes';
import { hashKey, resolveKey } from '../auth/api-keys';

export const QUEUE_BOARD_PATH = '/admin/queues';

/**
 * Admin only. Browsers cannot add a bearer header to a page load, so HTTP Basic with the admin key
 * as the password (any user name) is accepted too; the 401 asks the browser for it.
 */
function requireAdmin(deps: Pick<Deps, 'pool' | 'config'>): RequestHandler {
  const adminKeyHash = hashKey(deps.config.adminApiKey);
  return async (req, res, next) => {
    const header = req.headers.authorization ?? '';
    let key: string | undefined;
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(header);
    const basic = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
    if (bearer) key = bearer[1];
    else if (basic) {
      const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
      key = decoded.slice(decoded.indexOf(':') + 1);
    }
    const principal = key && key.length >= 8 && key.length <= 200 ? await resolveKey(deps.pool, adminKeyHash, key) : null;
    if (!principal) {
      res.setHeader('WWW-Authenticate', 'Basic realm="Handoff queues", charset="UTF-8"');
      throw new AppError('UNAUTHENTICATED', 'The queue board needs the admin key (Bearer, or Basic with the key as password).');
    }
    if (principal.role !== 'admin') throw new AppError('FORBIDDEN', 'The queue board is for admin keys only.');
    req.principal = principal;
    next();
  };
}

/**
 * Bull Board over every queue in `deps.queues`: inspect, retry and clean jobs. Its page loads its
 * own scripts and Google Fonts, so it gets its own CSP instead of the API's.
 */
export function queueBoardRouter(deps: Pick<Deps, 'pool' | 'config' | 'queues'>): Router {
  const serverAdapter = new ExpressAdapter().setBasePath(QUEUE_BOARD_PATH);
  createBullBoard({
    queues: listQueues(deps.queues).map((q) => new BullMQAdapter(q)),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'Handoff queues' } },
  });
  const router = Router();
  router.use(
    QUEUE_BOARD_PATH,
    requireAdmin(deps),
    helmet({
      contentSecurityPolicy: {
        directives: {
          'style-src': ["'self'", "'unsafe-inline'", 'https://fonts.googleapis.com'],
          'font-src': ["'self'", 'data:', 'https://fonts.gstatic.com'],
          // The board is often reached over plain http inside a private network.
          'upgrade-insecure-requests': null,
        },
      },
    }),
    serverAdapter.getRouter(),
  );
  return router;
}
