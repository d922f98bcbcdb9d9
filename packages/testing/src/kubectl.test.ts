import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type CliServer, ensureBuilt, findKubectl, startCli } from './test-support/cli-process.js';
import { call, within } from './test-support/http-client.js';

// kubectl (client-go inside) against the CLI in its own process: discovery, OpenAPI, chunked lists,
// watches, writes and waits as a user would run them.

const kubectl = findKubectl();
if (kubectl === undefined) {
  console.warn(
    '\n*** kubectl NOT FOUND on PATH or in /usr/bin: the kubectl compatibility tests are SKIPPED, not passed. ***\n',
  );
}

const run = promisify(execFile);

// Each case runs kubectl (a Go binary reading a 557-pod cluster) several times, each bounded at 30 s; the
// case's own bound leaves room for a few of them on a busy machine.
describe.skipIf(kubectl === undefined)(
  'kubectl against kubeinformers-fake-apiserver',
  { timeout: 60_000 },
  () => {
    let cli: CliServer;
    let directory: string;
    let kubeconfig: string;

    const kubectlRun = async (...args: string[]) => {
      const { stdout } = await run(kubectl!, ['--kubeconfig', kubeconfig, ...args], { timeout: 30_000 });
      return stdout;
    };

    beforeAll(async () => {
      await ensureBuilt();
      directory = mkdtempSync(join(tmpdir(), 'fake-apiserver-'));
      cli = await startCli([
        '--seed',
        'demo',
        '--kubeconfig',
        join(directory, 'config'),
        '--tls',
        '--token',
        'secret',
        '--control',
      ]);
      kubeconfig = cli.ready.kubeconfig!;
    }, 60_000);

    afterAll(async () => {
      if (cli !== undefined) {
        cli.process.kill('SIGTERM');
        await within(cli.exited, 5_000, 'CLI exit');
      }
      rmSync(directory, { recursive: true, force: true });
    });

    it('prints its URL and an absolute kubeconfig path as the first stdout line', () => {
      expect(cli.ready.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      expect(kubeconfig).toBe(join(directory, 'config'));
    });

    it('gets the seeded cluster, with and without --chunk-size', async () => {
      const whole = await kubectlRun('get', 'pods', '-A', '-o', 'name');
      expect(whole.trim().split('\n')).toHaveLength(557); // the demo seed: what `pnpm demo` shows
      expect(whole).toContain('pod/kube-proxy-');
      const { stdout, stderr } = await run(
        kubectl!,
        ['--kubeconfig', kubeconfig, 'get', 'pods', '-A', '-o', 'name', '--chunk-size=200', '-v=6'],
        {
          timeout: 30_000,
        },
      );
      expect(stdout).toBe(whole);
      const pages = stderr
        .split('\n')
        .filter((line) => /GET https:\/\/\S+\/api\/v1\/pods\?.*limit=200/.test(line));
      expect(pages.length).toBe(3);
      expect(pages.slice(1).every((line) => line.includes('continue='))).toBe(true);
      expect(await kubectlRun('get', 'nodes')).toMatch(/node-1\s+Ready\s+<none>\s+\S+\s+v1\.32\.0/);
      const table = await kubectlRun('get', 'pods', '-n', 'shop', '-o', 'wide');
      expect(table.split('\n')[0]).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE$/);
      // Seeded pods were created about ten minutes before the server started, and their age says so.
      expect(table.split('\n')[1]).toMatch(/\sRunning\s+0\s+(9m\d+s|10m)\s/);
      expect(table).toMatch(/web-\S+\s+1\/1\s+Running\s+0\s+\S+\s+10\.244\.\d+\.\d+\s+node-\d/);
      expect(await kubectlRun('get', 'deploy,rs,svc', '-n', 'shop', '-o', 'name')).toMatch(
        /deployment.apps\/web/,
      );
    });

    it('creates, labels, patches and deletes objects from manifests', async () => {
      const manifest = join(directory, 'pod.yaml');
      writeFileSync(
        manifest,
        [
          'apiVersion: v1',
          'kind: Pod',
          'metadata:',
          '  name: hello',
          '  labels: {app: hello}',
          'spec:',
          '  containers:',
          '  - name: main',
          '    image: nginx:1.27',
          '',
        ].join('\n'),
      );
      expect(await kubectlRun('create', '-f', manifest)).toContain('pod/hello created');
      expect(await kubectlRun('label', 'pod', 'hello', 'tier=frontend')).toContain('pod/hello labeled');
      expect(
        await kubectlRun(
          'patch',
          'pod',
          'hello',
          '-p',
          '{"spec":{"containers":[{"name":"main","image":"nginx:1.28"}]}}',
        ),
      ).toContain('patched');
      expect(
        await kubectlRun(
          'patch',
          'pod',
          'hello',
          '--type=merge',
          '-p',
          '{"metadata":{"annotations":{"note":"merged"}}}',
        ),
      ).toContain('patched');
      const pod = JSON.parse(await kubectlRun('get', 'pod', 'hello', '-o', 'json'));
      expect(pod.metadata.labels).toEqual({ app: 'hello', tier: 'frontend' });
      expect(pod.metadata.annotations).toEqual({ note: 'merged' });
      expect(pod.spec.containers).toEqual([{ name: 'main', image: 'nginx:1.28' }]);
      expect(await kubectlRun('apply', '-f', manifest)).toContain('pod/hello configured');
      expect(await kubectlRun('apply', '--server-side', '-f', manifest)).toContain(
        'pod/hello serverside-applied',
      );
      expect(await kubectlRun('delete', 'pod', 'hello')).toContain('pod "hello" deleted');
      await expect(kubectlRun('get', 'pod', 'hello')).rejects.toThrow(/NotFound/);
    });

    it('scales a deployment through its scale subresource', async () => {
      expect(await kubectlRun('scale', 'deployment', 'web', '-n', 'shop', '--replicas=5')).toContain(
        'deployment.apps/web scaled',
      );
      expect(
        await kubectlRun('get', 'deployment', 'web', '-n', 'shop', '-o', 'jsonpath={.spec.replicas}'),
      ).toBe('5');
    });

    it('deletes a deployment together with its replica set and pods', async () => {
      expect(await kubectlRun('delete', 'deployment', 'api', '-n', 'shop')).toContain(
        'deployment.apps "api" deleted',
      );
      expect(await kubectlRun('get', 'rs,pods', '-n', 'shop', '-l', 'app=api', '-o', 'name')).toBe('');
    });

    it('watches with get -w and sees a change made by another client', async () => {
      const watcher = spawn(kubectl!, ['--kubeconfig', kubeconfig, 'get', 'configmaps', '-w', '-o', 'name'], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      watcher.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
      });
      try {
        // Once kubectl's watch is open on the server, another kubectl creates a config map.
        await vi.waitFor(
          async () => expect((await call(`${cli.ready.url}/_fake/state`, options())).json.watches).toBe(1),
          {
            timeout: 10_000,
            interval: 100,
          },
        );
        const manifest = join(directory, 'configmap.yaml');
        writeFileSync(
          manifest,
          'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-another-client\ndata:\n  k: v\n',
        );
        await kubectlRun('apply', '-f', manifest);
        await vi.waitFor(() => expect(output).toContain('configmap/from-another-client'), {
          timeout: 10_000,
        });
      } finally {
        watcher.kill('SIGTERM');
      }
    });

    it('waits for a condition that another client sets through the status subresource', async () => {
      const manifest = join(directory, 'waiting.yaml');
      writeFileSync(
        manifest,
        'apiVersion: v1\nkind: Pod\nmetadata:\n  name: waiting\nspec:\n  containers:\n  - name: main\n    image: busybox\n',
      );
      await kubectlRun('create', '-f', manifest);
      const waiting = kubectlRun('wait', '--for=condition=Ready', 'pod/waiting', '--timeout=20s');
      // kubectl wait lists, finds the pod not ready, and watches it: change the status only then.
      await vi.waitFor(
        async () => expect((await call(`${cli.ready.url}/_fake/state`, options())).json.watches).toBe(1),
        {
          timeout: 10_000,
          interval: 100,
        },
      );
      const status = await call(`${cli.ready.url}/api/v1/namespaces/default/pods/waiting/status`, {
        ...options(),
        method: 'PATCH',
        headers: { ...options().headers, 'content-type': 'application/merge-patch+json' },
        body: { status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } },
      });
      expect(status.status).toBe(200);
      expect(await waiting).toContain('pod/waiting condition met');
    });

    function options() {
      const config = JSON.parse(readFileSync(kubeconfig, 'utf8'));
      return {
        ca: Buffer.from(config.clusters[0].cluster['certificate-authority-data'], 'base64').toString(),
        headers: { authorization: 'Bearer secret' },
      };
    }
  },
);
