import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FakeApiServer, podFixture } from '@kubeinformers/testing';
import { build } from 'vite';
import { afterAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchChromium } from './support/chromium.js';

const entry = join(dirname(fileURLToPath(import.meta.url)), 'support', 'core-only-entry.ts');
const cleanups: (() => Promise<void>)[] = [];

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

describe.skipIf(!chromiumAvailable)('@kubeinformers/core alone in a browser', () => {
  it('bundles with Vite and syncs over fetch in Chromium', async () => {
    const outDir = await mkdtemp(join(tmpdir(), 'core-bundle-'));
    cleanups.push(() => rm(outDir, { recursive: true, force: true }));
    await build({
      configFile: false,
      logLevel: 'warn',
      build: {
        outDir,
        target: 'es2022',
        minify: false,
        lib: { entry, formats: ['es'], fileName: 'core-only' },
      },
    });
    const bundle = readFileSync(join(outDir, 'core-only.js'), 'utf8');
    expect(bundle).not.toMatch(/from ['"]node:/);

    const server = await FakeApiServer.start({ cors: true });
    cleanups.push(() => server.close());
    for (const name of ['a', 'b', 'c']) server.store.create('pods', podFixture({ name }));
    const page: Server = createServer((request, response) => {
      if (request.url?.startsWith('/core-only.js')) {
        response.writeHead(200, { 'content-type': 'text/javascript' }).end(bundle);
        return;
      }
      response
        .writeHead(200, { 'content-type': 'text/html' })
        .end('<!doctype html><title>loading</title><script type="module" src="/core-only.js"></script>');
    });
    await new Promise<void>((resolve) => page.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => page.close(() => resolve())));
    const address = page.address() as { port: number };

    const browser = await launchChromium();
    cleanups.push(() => browser.close());
    const tab = await browser.newPage();
    await tab.goto(`http://127.0.0.1:${address.port}/?api=${encodeURIComponent(server.url)}`);
    await tab.waitForFunction(() => document.title === 'synced:3', undefined, { timeout: 15_000 });
    server.store.create('pods', podFixture({ name: 'd' }));
    await tab.waitForFunction(() => document.title === 'synced:4', undefined, { timeout: 5_000 });
  });
});
