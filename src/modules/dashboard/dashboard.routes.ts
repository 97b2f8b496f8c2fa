import fs from 'node:fs';
import path from 'node:path';
import express, { Router } from 'express';

// Under ts-node/jest the assets sit next to this file; a tsc build (dist/) leaves them in src/.
const PUBLIC_DIR = [path.join(__dirname, 'public'), path.resolve(__dirname, '../../../../src/modules/dashboard/public')].find((d) => fs.existsSync(d))!;
// chart.js's package exports hide dist/, so resolve its main entry and take the UMD build beside it.
const CHART_JS = path.join(path.dirname(require.resolve('chart.js')), 'chart.umd.min.js');

/**
 * The supervisors' dashboard: a static page and script (helmet's CSP allows only same-origin
 * scripts, so nothing is inline) plus Chart.js from our own node_modules, no CDN. The page holds no
 * data: it asks for a supervisor key and calls the stats API with it.
 */
export function dashboardRouter(): Router {
  const router = Router();
  router.get('/dashboard', (_req, res) => res.sendFile(path.join(PUBLIC_DIR, 'index.html')));
  router.get('/dashboard/vendor/chart.umd.min.js', (_req, res) => res.sendFile(CHART_JS, { maxAge: '1d' }));
  router.use('/dashboard/assets', express.static(PUBLIC_DIR, { index: false, maxAge: '5m' }));
  return router;
}
