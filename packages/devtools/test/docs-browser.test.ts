// The docs page in a real browser (playwright-core driving Debian's chromium): it loads with no
// request leaving the server (no CDN) and no CSP violation, lists the operations, and "Try it out"
// sends a request and shows its answer.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, json } from '@plinth/http';
import { type RunningServer, serve } from '@plinth/http/node';
import { type BrowserContext, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { openApi } from '../src/index.js';

const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const available = existsSync(executablePath);
if (!available && process.env.CI === 'true') {
  throw new Error(
    `The docs browser test needs chromium at ${executablePath} (apt-get install -y chromium, or set CHROMIUM_PATH).`,
  );
}
if (!available) console.warn(`skipping the docs browser test: no chromium at ${executablePath}`);

const Item = z.object({ id: z.string(), name: z.string() }).meta({ id: 'Item' });

let server: RunningServer;
let context: BrowserContext;
let profile: string;

beforeAll(async () => {
  if (!available) return;
  const app = createApp();
  app.use(openApi({ source: app, info: { title: 'Shop API', version: '1.0.0' } }));
  app.get(
    '/items/:id',
    {
      meta: {
        summary: 'One item',
        tags: ['items'],
        schema: { params: z.object({ id: z.string() }), response: { 200: Item } },
      },
    },
    (ctx) => json({ id: ctx.params.id, name: `Lamp ${ctx.params.id}` }),
  );
  app.post(
    '/items',
    { meta: { summary: 'Create an item', tags: ['items'], schema: { body: Item.omit({ id: true }) } } },
    () => json({ id: '1', name: 'Lamp' }, { status: 201 }),
  );
  server = await serve(app, { port: 0, hostname: '127.0.0.1' });
  profile = mkdtempSync(join(tmpdir(), 'devtools-chromium-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}, 60_000);

afterAll(async () => {
  await context?.close();
  await server?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

describe.skipIf(!available)('the docs page in chromium', () => {
  it('lists the operations and runs a "Try it out" request, offline, under its CSP', async () => {
    const page = await context.newPage();
    const outside: string[] = [];
    const problems: string[] = [];
    // Nothing may leave for a CDN: every request to another origin is recorded and refused.
    await page.route('**/*', (route) => {
      if (route.request().url().startsWith(server.url)) return route.continue();
      outside.push(route.request().url());
      return route.abort();
    });
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));

    await page.goto(`${server.url}/docs`);
    const operation = page.locator('.opblock', { hasText: '/items/{id}' }).first();
    await operation.waitFor({ timeout: 30_000 });
    await expect(page.locator('.opblock-summary-path').allTextContents()).resolves.toEqual(
      expect.arrayContaining(['/items/{id}', '/items']),
    );
    await expect(page.locator('.info .title').textContent()).resolves.toContain('Shop API');

    await operation.locator('.opblock-summary').click();
    await operation.getByRole('button', { name: 'Try it out' }).click();
    await operation.locator('input[placeholder="id"]').fill('42');
    await operation.getByRole('button', { name: 'Execute' }).click();
    const body = operation.locator('.live-responses-table .response-col_description .microlight').first();
    await body.waitFor({ timeout: 30_000 });
    expect(await body.textContent()).toContain('Lamp 42');
    await expect(
      operation.locator('.live-responses-table tr.response .response-col_status').first().textContent(),
    ).resolves.toContain('200');

    expect(outside).toEqual([]);
    expect(problems.filter((text) => /Content Security Policy|Refused/i.test(text))).toEqual([]);
    await page.close();
  }, 90_000);
});
