import { afterEach, describe, expect, it } from 'vitest';
import { FakeApiServer } from '../fake-api-server.js';
import { type CliServer, ensureBuilt, startCli } from '../test-support/cli-process.js';
import { within } from '../test-support/http-client.js';

let server: FakeApiServer | undefined;
let cli: CliServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
  if (cli !== undefined && cli.process.exitCode === null) {
    cli.process.kill('SIGKILL');
    await within(cli.exited, 5_000, 'CLI exit');
  }
  cli = undefined;
});

const page = 'http://localhost:5173';

function preflight(url: string, origin: string): Promise<Response> {
  return fetch(url, {
    method: 'OPTIONS',
    headers: {
      origin,
      'access-control-request-method': 'GET',
      'access-control-request-headers': 'authorization',
    },
  });
}

describe('CORS on the fake server', () => {
  it('sends no CORS headers unless enabled, like the real server', async () => {
    server = await FakeApiServer.start();
    const response = await fetch(`${server.url}/api/v1/pods`, { headers: { origin: page } });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers a preflight for the Authorization header and marks lists, watches and errors', async () => {
    server = await FakeApiServer.start({ cors: true, tokens: ['secret'] });
    const answer = await preflight(`${server.url}/api/v1/pods?watch=true`, page);
    expect(answer.status).toBe(204);
    expect(answer.headers.get('access-control-allow-origin')).toBe('*');
    expect(answer.headers.get('access-control-allow-headers')).toBe('authorization');
    expect(answer.headers.get('access-control-allow-methods')).toContain('GET');

    const unauthorized = await fetch(`${server.url}/api/v1/pods`, { headers: { origin: page } });
    expect(unauthorized.status).toBe(401);
    expect(unauthorized.headers.get('access-control-allow-origin')).toBe('*');

    const controller = new AbortController();
    const watch = await fetch(`${server.url}/api/v1/pods?watch=true`, {
      headers: { origin: page, authorization: 'Bearer secret' },
      signal: controller.signal,
    });
    expect(watch.status).toBe(200);
    expect(watch.headers.get('access-control-allow-origin')).toBe('*');
    expect(watch.headers.get('access-control-expose-headers')).toContain('Retry-After');
    controller.abort();
  });

  it('with a list of origins, allows those (with credentials) and no other', async () => {
    server = await FakeApiServer.start({ cors: [page] });
    const allowed = await preflight(`${server.url}/api/v1/pods`, page);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(page);
    expect(allowed.headers.get('access-control-allow-credentials')).toBe('true');
    expect(allowed.headers.get('vary')).toBe('Origin');
    const other = await fetch(`${server.url}/api/v1/pods`, { headers: { origin: 'http://evil.test' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('is enabled from the CLI with --cors', async () => {
    await ensureBuilt();
    cli = await startCli(['--cors', page]);
    const answer = await preflight(`${cli.ready.url}/api/v1/pods`, page);
    expect(answer.status).toBe(204);
    expect(answer.headers.get('access-control-allow-origin')).toBe(page);
  }, 60_000);
});
