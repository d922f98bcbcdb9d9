import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createServer, preview } from 'vite';

/** Where the page finds the cluster on its own origin: `connection-settings.ts` defaults to it. */
export const apiPath = '/k8s';

/**
 * A Vite plugin that mounts `api` (the read-only proxy) under `/k8s`, for HTTP and WebSocket upgrades,
 * ahead of Vite's own middlewares (so preview's compression never buffers a watch stream).
 */
function mountApi(api) {
  const mount = (server) => {
    server.middlewares.use(apiPath, (request, response) => void api.handle(request, response));
    server.httpServer?.on('upgrade', (request, socket, head) => {
      const url = request.url ?? '';
      if (!url.startsWith(`${apiPath}/`)) return;
      request.url = url.slice(apiPath.length);
      api.upgrade(request, socket, head);
    });
  };
  return { name: 'kubeinformers-dashboard-api', configureServer: mount, configurePreviewServer: mount };
}

/**
 * Serves the page and the cluster on one origin: the production build in `root/dist` (built by
 * `pnpm dashboard`), or with `dev` Vite's dev server (modules compiled on request, hot reload). The
 * port is strict: a tab left open reconnects to the same origin after a restart.
 */
export async function startPageServer({ root, dev, host, port, api }) {
  const common = {
    root,
    configFile: join(root, 'vite.config.ts'),
    plugins: [mountApi(api)],
    logLevel: 'warn',
  };
  if (dev) {
    const server = await createServer({ ...common, server: { host, port, strictPort: true } });
    await server.listen();
    return { url: server.resolvedUrls?.local[0] ?? `http://${host}:${port}/`, close: () => server.close() };
  }
  if (!existsSync(join(root, 'dist', 'index.html'))) {
    throw new Error(
      `${join(root, 'dist')} holds no build: run \`pnpm dashboard\` (it builds) or \`vite build\``,
    );
  }
  const server = await preview({ ...common, preview: { host, port, strictPort: true, open: false } });
  return {
    url: server.resolvedUrls?.local[0] ?? `http://${host}:${port}/`,
    close: async () => {
      server.httpServer.closeAllConnections?.();
      await server.close();
    },
  };
}
