import { startApp, type TestApp } from '../support/start-app';

describe('dashboard assets', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startApp();
  });
  afterAll(() => app.close());

  test('when an asset does not exist, then 404 problem+json, not a 500', async () => {
    const res = await fetch(`${app.url}/dashboard/assets/no-such-file.js`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
  });
});
