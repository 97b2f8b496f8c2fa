import fs from 'node:fs';
import path from 'node:path';
import express, { Router } from 'express';
import { buildOpenApiDocument } from './openapi';

// Under ts-node/jest the page sits next to this file; a tsc build (dist/) leaves it in src/.
const PUBLIC_DIR = [path.join(__dirname, 'public'), path.resolve(__dirname, '../../../../src/modules/docs/public')].find((d) => fs.existsSync(d))!;
// swagger-ui-dist exports its package.json; its files sit beside it.
const SWAGGER_UI_DIR = path.dirname(require.resolve('swagger-ui-dist/package.json'));

/**
 * `GET /openapi.json` and `GET /docs` (Swagger UI from our own node_modules, no CDN), both public:
 * the document describes the API, it grants nothing. Built once, since it is derived from code.
 */
export function docsRouter(): Router {
  const document = buildOpenApiDocument();
  const router = Router();
  router.get('/openapi.json', (_req, res) => res.json(document));
  router.get('/docs', (_req, res) => res.sendFile(path.join(PUBLIC_DIR, 'index.html')));
  router.get('/docs/init.js', (_req, res) => res.sendFile(path.join(PUBLIC_DIR, 'init.js')));
  // Falls through on a miss, so an unknown file gets the API's own problem+json 404.
  router.use('/docs/assets', express.static(SWAGGER_UI_DIR, { index: false, maxAge: '1d' }));
  return router;
}
