// The live board in a real browser against the real app process (embedded defaults: PGlite, memory
// broker and queue): log in, two tabs, a change in one shows in the other over WebSocket, the SSE
// fallback, text never rendered as HTML, and the API docs page.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppProcess, apiJson, apiLogin, startApp } from './support/app-process.js';
import { launchChromium, requireChromium } from './support/browser.js';

const hasChromium = requireChromium('e2e/board.test.ts');

interface Task {
  id: string;
  teamId: string;
  title: string;
  status: string;
  assigneeId: string | null;
}

describe.skipIf(!hasChromium)('the live board in chromium', () => {
  let dataDir: string;
  let app: AppProcess;
  let browser: Browser;
  let context: BrowserContext;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'plinth-reference-board-'));
    app = await startApp('src/main.ts', {
      DATA_DIR: join(dataDir, 'data'),
      NODE_ENV: 'test',
      JWT_SECRET: randomBytes(48).toString('base64'),
    });
    browser = await launchChromium();
    context = await browser.newContext();
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    if (app) expect(await app.stop(), app.output()).toBe(0);
    await rm(dataDir, { recursive: true, force: true });
  });

  /** Opens the board in a new tab and waits until it is live and lists tasks. */
  async function openBoard(query = '', live = 'ws'): Promise<Page> {
    const page = await context.newPage();
    const response = await page.goto(`${app.url}/board${query}`);
    expect(response?.status()).toBe(200);
    await page.waitForSelector(`#live-status[data-state="${live}"]`, { timeout: 30_000 });
    await page.waitForSelector('li[data-task-id]', { timeout: 30_000 });
    return page;
  }

  const row = (id: string) => `li[data-task-id="${id}"]`;

  async function selectValue(page: Page, id: string, which: 'status' | 'assignee', value: string) {
    await page.waitForFunction(
      ([selector, expected]) =>
        (document.querySelector(selector) as HTMLSelectElement | null)?.value === expected,
      [`${row(id)} select.${which}`, value] as const,
      { timeout: 15_000 },
    );
  }

  it('logs in, and a task changed in one tab changes in the other', async () => {
    const first = await context.newPage();
    await first.goto(`${app.url}/board`);
    await first.fill('#email', 'owner@example.com');
    await first.fill('#password', 'plinth-demo');
    await first.click('#login button[type="submit"]');
    await first.waitForSelector('#live-status[data-state="ws"]', { timeout: 30_000 });
    await first.waitForSelector('li[data-task-id]', { timeout: 30_000 });
    // The second tab shares the login (localStorage) and opens its own WebSocket.
    const second = await openBoard();

    const { accessToken, teamId, me } = await apiLogin(app.url, 'owner@example.com');
    const { items } = await apiJson<{ items: Task[] }>(app.url, accessToken, 'GET', `/teams/${teamId}/tasks`);
    const task = items.find((item) => item.status === 'open');
    if (!task) throw new Error('the demo data has no open task');

    await first.selectOption(`${row(task.id)} select.status`, 'in_progress');
    await selectValue(second, task.id, 'status', 'in_progress');
    await first.selectOption(`${row(task.id)} select.assignee`, me.id);
    await selectValue(second, task.id, 'assignee', me.id);

    // And the server holds what both tabs show.
    const stored = await apiJson<Task>(app.url, accessToken, 'GET', `/tasks/${task.id}`);
    expect(stored).toMatchObject({ status: 'in_progress', assigneeId: me.id });
    expect(await first.textContent('#message')).toBe('');
  });

  it('falls back to EventSource and still sees changes made elsewhere', async () => {
    const page = await openBoard('?sse', 'sse');
    const { accessToken, teamId } = await apiLogin(app.url, 'owner@example.com');
    const { items } = await apiJson<{ items: Task[] }>(app.url, accessToken, 'GET', `/teams/${teamId}/tasks`);
    const task = items.find((item) => item.status !== 'done');
    if (!task) throw new Error('the demo data has no task that is not done');
    const next = task.status === 'open' ? 'in_progress' : 'open';
    await apiJson(app.url, accessToken, 'PATCH', `/tasks/${task.id}`, { status: next });
    await selectValue(page, task.id, 'status', next);
  });

  it('renders a task title as text, never as HTML', async () => {
    const page = await openBoard();
    const { accessToken, teamId } = await apiLogin(app.url, 'owner@example.com');
    const projects = await apiJson<Array<{ id: string }> | { items: Array<{ id: string }> }>(
      app.url,
      accessToken,
      'GET',
      `/teams/${teamId}/projects`,
    );
    const project = (Array.isArray(projects) ? projects : projects.items)[0];
    if (!project) throw new Error('the demo team has no project');
    const title = '<img src=x onerror="window.__injected=1"><b>bold</b>';
    const created = await apiJson<Task>(app.url, accessToken, 'POST', `/projects/${project.id}/tasks`, {
      title,
    });
    await page.waitForSelector(row(created.id), { timeout: 15_000 });
    expect(await page.textContent(`${row(created.id)} .title`)).toBe(title);
    expect(await page.locator(`${row(created.id)} img, ${row(created.id)} b`).count()).toBe(0);
    expect(await page.evaluate(() => (window as { __injected?: number }).__injected)).toBeUndefined();
  });

  it('serves the API docs at /docs', async () => {
    const page = await context.newPage();
    const response = await page.goto(`${app.url}/docs`);
    expect(response?.status()).toBe(200);
    await page.waitForSelector('#swagger-ui', { timeout: 15_000 });
    // Swagger UI renders the operations from /openapi.json, the board's among them.
    await page
      .locator('.opblock-summary-path', { hasText: '/teams/{teamId}/tasks' })
      .first()
      .waitFor({ timeout: 30_000 });
  });
});
