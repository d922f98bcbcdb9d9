import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type PreviewServer, preview } from 'vite';

const appRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Builds the production dashboard into `dist` when it is missing. */
export async function buildDashboardIfMissing(): Promise<void> {
  if (!existsSync(join(appRoot, 'dist', 'index.html'))) {
    // Vitest sets NODE_ENV=test, which would make Vite bundle React's development build (several times
    // slower, and not what users run): build exactly as `pnpm build` does.
    const environment = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      await build({
        root: appRoot,
        configFile: join(appRoot, 'vite.config.ts'),
        logLevel: 'warn',
        mode: 'production',
      });
    } finally {
      process.env.NODE_ENV = environment;
    }
  }
}

/** Serves the built dashboard (building it first when `dist` is missing) on a free loopback port. */
export async function serveDashboard(): Promise<{ readonly url: string; close(): Promise<void> }> {
  await buildDashboardIfMissing();
  const server: PreviewServer = await preview({
    root: appRoot,
    configFile: join(appRoot, 'vite.config.ts'),
    logLevel: 'warn',
    preview: { host: '127.0.0.1', port: 0, strictPort: false, open: false },
  });
  const url = server.resolvedUrls?.local[0];
  if (url === undefined) throw new Error('the preview server reported no URL');
  return { url, close: () => server.close() };
}
