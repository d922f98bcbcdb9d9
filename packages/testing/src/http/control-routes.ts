import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FakeApiServer } from '../fake-api-server.js';
import { generatePods, seedCluster } from '../fixtures/seed-cluster.js';
import type { PodLogTarget } from '../resources/pod-logs.js';
import { ApiStatusError, badRequest } from '../storage/api-status-error.js';
import { sendJson } from './http-response.js';

export interface ControlRoutes {
  handle(request: IncomingMessage, response: ServerResponse, url: URL): Promise<void>;
}

type Body = Record<string, unknown>;
type Action = (body: Body, server: FakeApiServer) => unknown;

/** Turns `"/api"` or `"re:^/api/v1/pods$"` into a matcher for request faults. */
function pathMatcher(value: unknown): string | RegExp | undefined {
  if (typeof value !== 'string') return undefined;
  return value.startsWith('re:') ? new RegExp(value.slice(3)) : value;
}

const actions: Readonly<Record<string, Action>> = {
  'GET /_fake/state': (_, server) => server.describe(),
  'POST /_fake/faults/close-watches': (body, server) => ({
    closed: server.faults.closeWatches({ abrupt: body.abrupt === true }),
  }),
  'POST /_fake/faults/fail-requests': (body, server) => {
    server.faults.failNextRequests({ ...body, path: pathMatcher(body.path) } as never);
    return {};
  },
  'POST /_fake/faults/delay-responses': (body, server) => {
    if (typeof body.delayMs !== 'number') throw badRequest('delayMs (number) is required');
    server.faults.delayResponses({ ...body, path: pathMatcher(body.path) } as never);
    return {};
  },
  'POST /_fake/faults/stall-watches': (_, server) => server.faults.stallWatches(),
  'POST /_fake/faults/resume-watches': (_, server) => server.faults.resumeWatches(),
  'POST /_fake/faults/corrupt-watch-lines': (body, server) =>
    server.faults.corruptNextWatchLines(typeof body.count === 'number' ? body.count : 1),
  'POST /_fake/faults/compact': (_, server) => server.faults.compact(),
  'POST /_fake/faults/clear': (_, server) => server.faults.clear(),
  'POST /_fake/bookmarks': (_, server) => server.watches.sendBookmarks(),
  'POST /_fake/feature-gates': (body, server) => {
    for (const [name, value] of Object.entries(body)) {
      if (!(name in server.featureGates) || typeof value !== 'boolean')
        throw badRequest(
          `{ "${Object.keys(server.featureGates).join('": boolean, "')}": boolean } is expected`,
        );
      server.featureGates[name as keyof FakeApiServer['featureGates']] = value;
    }
    return server.featureGates;
  },
  'POST /_fake/seed': (body, server) => seedCluster(server.store, body),
  'POST /_fake/pods/generate': (body, server) => {
    if (typeof body.count !== 'number') throw badRequest('count (number) is required');
    const keys = generatePods(server.store, body as never);
    return { created: keys.length, resourceVersion: server.resourceVersion };
  },
  'POST /_fake/churn': (body, server) => {
    if (typeof body.count !== 'number') throw badRequest('count (number) is required');
    return server.churn(body as never);
  },
  'POST /_fake/pods/logs': (body, server) => {
    if (typeof body.pod !== 'string' || !Array.isArray(body.lines)) {
      throw badRequest(
        '{ "namespace": "…", "pod": "…", "container": "…", "lines": ["…"], "append": false } is required',
      );
    }
    const target = body as unknown as PodLogTarget;
    const lines = (body.lines as unknown[]).map(String);
    if (body.append === true) server.logs.append(target, lines);
    else server.logs.set(target, lines);
    return {};
  },
  'POST /_fake/objects': (body, server) => {
    if (typeof body.resource !== 'string' || typeof body.object !== 'object') {
      throw badRequest('{ "resource": "<plural or kind>", "object": { … } } is required');
    }
    return server.store.create(body.resource, body.object as never);
  },
};

/**
 * The control path for drivers in another process (benchmarks, scripts): `POST /_fake/…` with a JSON body
 * does what the in-process API does — faults, seeding, bulk pod generation, churn. Served only when the
 * server was started with `control: true` (`--control` on the CLI); it is not authenticated.
 *
 * `POST /_fake/faults/restart` answers first and restarts right after, since it drops its own connection.
 */
export function createControlRoutes(server: FakeApiServer): ControlRoutes {
  return {
    async handle(request, response, url) {
      const body = await readJson(request);
      const route = `${request.method ?? 'GET'} ${url.pathname}`;
      if (route === 'POST /_fake/faults/restart') {
        sendJson(response, 202, { restarting: true });
        response.once('finish', () => {
          setImmediate(() => void server.faults.restart({ downtimeMs: Number(body.downtimeMs ?? 0) }));
        });
        return;
      }
      const action = actions[route];
      if (action === undefined) {
        throw new ApiStatusError({ code: 404, reason: 'NotFound', message: `no control action ${route}` });
      }
      const result = await action(body, server);
      sendJson(response, 200, result ?? {});
    },
  };
}

async function readJson(request: IncomingMessage): Promise<Body> {
  const chunks: Buffer[] = [];
  for await (const chunk of request as AsyncIterable<Buffer>) chunks.push(chunk);
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text === '') return {};
  try {
    const parsed = JSON.parse(text) as unknown;
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Body;
  } catch {
    // answered below
  }
  throw badRequest('the control path expects a JSON object body');
}
