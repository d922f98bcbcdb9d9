import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { connect } from 'node:http2';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type CliServer, cliPath, ensureBuilt, startCli } from './test-support/cli-process.js';
import { call, within } from './test-support/http-client.js';

const run = promisify(execFile);
let cli: CliServer | undefined;
let directory: string | undefined;

beforeAll(async () => {
  await ensureBuilt();
}, 60_000);

afterEach(async () => {
  if (cli !== undefined && cli.process.exitCode === null) {
    cli.process.kill('SIGKILL');
    await within(cli.exited, 5_000, 'CLI exit');
  }
  cli = undefined;
  if (directory !== undefined) rmSync(directory, { recursive: true, force: true });
  directory = undefined;
});

describe('kubeinformers-fake-apiserver', () => {
  it('announces itself on the first stdout line, writes a kubeconfig, and exits 0 on SIGINT', async () => {
    directory = mkdtempSync(join(tmpdir(), 'fake-cli-'));
    cli = await startCli([
      '--seed',
      'demo',
      '--token',
      'secret',
      '--kubeconfig',
      join(directory, 'config'),
      '--control',
    ]);
    expect(cli.ready).toEqual({
      url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
      kubeconfig: join(directory, 'config'),
    });
    expect(statSync(join(directory, 'config')).mode & 0o777).toBe(0o600);
    const config = new KubeConfig();
    config.loadFromString(readFileSync(join(directory, 'config'), 'utf8'));
    const pods = await config.makeApiClient(CoreV1Api).listPodForAllNamespaces();
    expect(pods.items.length).toBe(557);
    expect((await call(`${cli.ready.url}/api/v1/pods`)).status).toBe(401);
    expect((await call(`${cli.ready.url}/_fake/state`)).json.objects.pods).toBe(557);
    cli.process.kill('SIGINT');
    expect(await within(cli.exited, 5_000, 'exit after SIGINT')).toBe(0);
  });

  it('exits 0 on SIGTERM, announcing a null kubeconfig when none was asked for', async () => {
    cli = await startCli(['--port', '0']);
    expect(cli.ready.kubeconfig).toBeNull();
    cli.process.kill('SIGTERM');
    expect(await within(cli.exited, 5_000, 'exit after SIGTERM')).toBe(0);
  });

  it('with --tls --http2, negotiates HTTP/2 by ALPN and serves the API over it', async () => {
    directory = mkdtempSync(join(tmpdir(), 'fake-cli-'));
    const kubeconfigPath = join(directory, 'config');
    cli = await startCli(['--tls', '--http2', '--token', 'secret', '--kubeconfig', kubeconfigPath]);
    const config = new KubeConfig();
    config.loadFromFile(kubeconfigPath);
    const ca = Buffer.from(config.getCurrentCluster()?.caData ?? '', 'base64').toString();
    const session = connect(cli.ready.url, { ca });
    try {
      const answer = await within(
        new Promise<{ status: number; body: string }>((resolve, reject) => {
          session.once('error', reject);
          const stream = session.request({ ':path': '/api/v1/namespaces', authorization: 'Bearer secret' });
          let status = 0;
          let body = '';
          stream.on('response', (headers) => {
            status = Number(headers[':status']);
          });
          stream.setEncoding('utf8').on('data', (text: string) => {
            body += text;
          });
          stream.on('end', () => resolve({ status, body }));
          stream.on('error', reject);
        }),
        10_000,
        'a GET over HTTP/2',
      );
      expect(session.alpnProtocol).toBe('h2');
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.body)).toMatchObject({ kind: 'NamespaceList' });
    } finally {
      session.close();
    }
  });

  it('prints usage for --help and refuses bad flags with exit code 2', async () => {
    const help = await run(process.execPath, [cliPath, '--help'], { timeout: 10_000 });
    expect(help.stdout).toContain('Usage: kubeinformers-fake-apiserver');
    for (const flag of ['--seed', '--port', '--token', '--tls', '--http2', '--kubeconfig', '--control'])
      expect(help.stdout).toContain(flag);
    for (const args of [['--bogus'], ['--seed', 'huge'], ['--port', 'x'], ['--http2']]) {
      const failure = await run(process.execPath, [cliPath, ...args], { timeout: 10_000 }).catch(
        (error: { code: number; stderr: string }) => error,
      );
      expect(failure).toMatchObject({ code: 2, stderr: expect.stringContaining('Usage:') });
    }
  });
});
