import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { FakeApiServer } from './fake-api-server.js';
import { findKubectl } from './test-support/cli-process.js';
import { CertificateAuthority } from './tls/certificate-authority.js';

// Every kubectl subcommand that needs no kubelet or metrics-server, as a user types it, against the fake
// server: the machine's kubectl (1.32+ sends protobuf bodies) runs all of them; the other versions found
// in the Cloud SDK directory run the commands whose wire format changed across versions (creates, drain's
// eviction, tokens, access reviews, logs, explain). KUBEINFORMERS_KUBECTL_FULL=1 runs everything on every
// version.

const run = promisify(execFile);
const sdkDirectory = '/usr/lib/google-cloud-sdk/bin';
const everyCommandOnEveryVersion = process.env.KUBEINFORMERS_KUBECTL_FULL === '1';
const machineKubectl = findKubectl();
const versioned = ['1.27', '1.28', '1.29', '1.30', '1.31', '1.32', '1.33'].map((version) => ({
  label: `kubectl ${version}`,
  path: join(sdkDirectory, `kubectl.${version}`),
  minor: Number(version.split('.')[1]),
  full: everyCommandOnEveryVersion,
}));
const missing = versioned.filter((binary) => !existsSync(binary.path));
if (machineKubectl === undefined || missing.length > 0) {
  console.warn(
    `\n*** kubectl binaries NOT FOUND, their command tests are SKIPPED, not passed: ${[
      ...(machineKubectl === undefined ? ['kubectl on PATH'] : []),
      ...missing.map((binary) => binary.path),
    ].join(', ')} ***\n`,
  );
}
const minorVersion = (path: string) =>
  Number(
    (
      JSON.parse(execFileSync(path, ['version', '--client', '-o', 'json'], { encoding: 'utf8' })) as {
        clientVersion: { minor: string };
      }
    ).clientVersion.minor.replace(/\D/g, ''),
  );
const machineMinor = machineKubectl === undefined ? undefined : minorVersion(machineKubectl);
const binaries = [
  ...(machineKubectl === undefined
    ? []
    : [
        {
          label: `machine kubectl 1.${machineMinor}`,
          path: machineKubectl,
          minor: machineMinor!,
          full: true,
        },
      ]),
  // The Cloud SDK's copy of the machine's minor version is not run a second time.
  ...versioned.filter((binary) => existsSync(binary.path) && binary.minor !== machineMinor),
];

const directory = mkdtempSync(join(tmpdir(), 'kubectl-commands-'));
const tls = await (await CertificateAuthority.create()).issueServerCertificate(['tls.example.com']);
writeFileSync(join(directory, 'tls.crt'), tls.certificate);
writeFileSync(join(directory, 'tls.key'), tls.key);
afterAll(() => rmSync(directory, { recursive: true, force: true }));

/** Runs kubectl; resolves with its stdout, rejects with its exit code and output when it fails. */
type Kubectl = (...args: string[]) => Promise<string>;

async function withServer(
  binary: (typeof binaries)[number],
  body: (kubectl: Kubectl, server: FakeApiServer) => Promise<void>,
) {
  // TLS, because kubectl sends bearer tokens (`--token`) only over HTTPS.
  const server = await FakeApiServer.start({
    tls: true,
    tokens: [
      'admin',
      {
        token: 'demo-reader',
        user: 'reader',
        rules: [{ verbs: ['get', 'list', 'watch'], resources: ['*'], namespaces: ['demo'] }],
      },
    ],
  });
  const home = mkdtempSync(join(directory, 'home-'));
  const kubeconfig = join(home, 'config');
  writeFileSync(kubeconfig, server.kubeconfig());
  const kubectl: Kubectl = async (...args) => {
    try {
      const { stdout } = await run(
        binary.path,
        ['--kubeconfig', kubeconfig, '--cache-dir', join(home, 'cache'), ...args],
        {
          timeout: 60_000,
        },
      );
      return stdout;
    } catch (error) {
      const failure = error as { stdout?: string; stderr?: string; code?: number };
      throw new Error(
        `kubectl ${args.join(' ')} exited ${failure.code}: ${failure.stderr ?? ''}${failure.stdout ?? ''}`,
      );
    }
  };
  try {
    await body(kubectl, server);
  } finally {
    await server.close();
  }
}

const token = (text: string) => text.trim();

describe.skipIf(binaries.length === 0)('kubectl commands against the fake server', () => {
  it.concurrent.each(binaries)(
    '$label: create, run, expose, drain, create token, auth can-i, logs, explain',
    async (binary) => {
      const supportsWhoami = binary.minor >= 28;
      await withServer(binary, async (kubectl, server) => {
        const demo = ['-n', 'demo'];
        expect(await kubectl('create', 'namespace', 'demo')).toBe('namespace/demo created\n');
        expect(
          await kubectl('create', 'deployment', 'web', '--image=nginx:1.27', '--replicas=2', ...demo),
        ).toContain('deployment.apps/web created');
        expect(await kubectl('get', 'deployment', 'web', '-o', 'jsonpath={.spec.replicas}', ...demo)).toBe(
          '2',
        );
        expect(
          await kubectl('create', 'secret', 'generic', 'password', '--from-literal=password=s3cr3t', ...demo),
        ).toContain('secret/password created');
        expect(await kubectl('get', 'secret', 'password', '-o', 'jsonpath={.data.password}', ...demo)).toBe(
          Buffer.from('s3cr3t').toString('base64'),
        );
        expect(await kubectl('create', 'serviceaccount', 'robot', ...demo)).toContain(
          'serviceaccount/robot created',
        );
        if (binary.full) {
          const creates: [string[], string][] = [
            [['create', 'configmap', 'settings', '--from-literal=mode=fast'], 'configmap/settings created'],
            [
              [
                'create',
                'secret',
                'tls',
                'serving',
                `--cert=${join(directory, 'tls.crt')}`,
                `--key=${join(directory, 'tls.key')}`,
              ],
              'secret/serving created',
            ],
            [
              [
                'create',
                'secret',
                'docker-registry',
                'pull',
                '--docker-server=registry.example.com',
                '--docker-username=robot',
                '--docker-password=hunter2',
              ],
              'secret/pull created',
            ],
            [['create', 'service', 'clusterip', 'backend', '--tcp=80:8080'], 'service/backend created'],
            [
              ['create', 'service', 'nodeport', 'edge', '--tcp=80:8080', '--node-port=30080'],
              'service/edge created',
            ],
            [['create', 'service', 'loadbalancer', 'public', '--tcp=443:8443'], 'service/public created'],
            [
              ['create', 'service', 'externalname', 'upstream', '--external-name=example.com'],
              'service/upstream created',
            ],
            [
              ['create', 'job', 'once', '--image=busybox:1.36', '--', 'echo', 'hello'],
              'job.batch/once created',
            ],
            [
              ['create', 'cronjob', 'nightly', '--image=busybox:1.36', '--schedule=0 3 * * *', '--', 'date'],
              'cronjob.batch/nightly created',
            ],
            [
              ['create', 'role', 'reader', '--verb=get,list', '--resource=pods'],
              'role.rbac.authorization.k8s.io/reader created',
            ],
            [
              ['create', 'rolebinding', 'read', '--role=reader', '--serviceaccount=demo:robot'],
              'rolebinding.rbac.authorization.k8s.io/read created',
            ],
            [
              ['create', 'clusterrole', 'node-reader', '--verb=get', '--resource=nodes'],
              'clusterrole.rbac.authorization.k8s.io/node-reader created',
            ],
            [
              ['create', 'clusterrolebinding', 'read-nodes', '--clusterrole=node-reader', '--group=ops'],
              'clusterrolebinding.rbac.authorization.k8s.io/read-nodes created',
            ],
            [
              ['create', 'quota', 'limits', '--hard=cpu=1500m,memory=2Gi,pods=10'],
              'resourcequota/limits created',
            ],
            [
              ['create', 'poddisruptionbudget', 'web-pdb', '--selector=app=web', '--min-available=50%'],
              'poddisruptionbudget.policy/web-pdb created',
            ],
            [
              ['create', 'priorityclass', 'high', '--value=1000', '--description=important'],
              'priorityclass.scheduling.k8s.io/high created',
            ],
            [
              ['create', 'ingress', 'site', '--class=nginx', '--rule=shop.example.com/cart*=cart:8080'],
              'ingress.networking.k8s.io/site created',
            ],
            [
              ['expose', 'deployment', 'web', '--port=80', '--target-port=8080', '--name=web-exposed'],
              'service/web-exposed exposed',
            ],
          ];
          for (const [args, expected] of creates) expect(await kubectl(...args, ...demo)).toContain(expected);
          expect(await kubectl('get', 'quota', 'limits', '-o', 'jsonpath={.spec.hard.cpu}', ...demo)).toBe(
            '1500m',
          );
          expect(await kubectl('get', 'pdb', 'web-pdb', '-o', 'jsonpath={.spec.minAvailable}', ...demo)).toBe(
            '50%',
          );
          expect(
            await kubectl('get', 'svc', 'edge', '-o', 'jsonpath={.spec.ports[0].nodePort}', ...demo),
          ).toBe('30080');
          expect(
            await kubectl('get', 'svc', 'web-exposed', '-o', 'jsonpath={.spec.selector.app}', ...demo),
          ).toBe('web');
        }

        // run, then logs served from lines the test sets.
        expect(await kubectl('run', 'shell', '--image=busybox:1.36', '--restart=Never', ...demo)).toContain(
          'pod/shell created',
        );
        server.logs.set({ namespace: 'demo', pod: 'shell' }, ['starting', 'ready', 'serving']);
        expect(await kubectl('logs', 'shell', ...demo)).toBe('starting\nready\nserving\n');
        expect(await kubectl('logs', 'shell', '--tail=1', ...demo)).toBe('serving\n');

        // create token: the token authenticates as the ServiceAccount.
        const issued = token(await kubectl('create', 'token', 'robot', '--duration=1h', ...demo));
        expect(issued.split('.')).toHaveLength(3);
        if (supportsWhoami) {
          expect(
            await kubectl('--token', issued, 'auth', 'whoami', '-o', 'jsonpath={.status.userInfo.username}'),
          ).toBe('system:serviceaccount:demo:robot');
        }
        await expect(kubectl('--token', 'not-issued', 'get', 'pods', ...demo)).rejects.toThrow(
          /Unauthorized/,
        );

        expect(await kubectl('auth', 'can-i', 'create', 'deployments.apps', ...demo)).toBe('yes\n');
        // A token with an allow-list: reviews say no outside it, and the request itself is Forbidden.
        await expect(
          kubectl('--token', 'demo-reader', 'auth', 'can-i', 'create', 'pods', ...demo),
        ).rejects.toThrow(/exited 1: no/);
        expect(await kubectl('--token', 'demo-reader', 'auth', 'can-i', 'list', 'pods', ...demo)).toBe(
          'yes\n',
        );
        await expect(
          kubectl('--token', 'demo-reader', 'create', 'configmap', 'denied', ...demo),
        ).rejects.toThrow(/configmaps is forbidden: User "reader" cannot create resource "configmaps"/);

        // drain: cordon, then evict every pod on the node (the eviction deletes it).
        server.store.create('nodes', { metadata: { name: 'worker' } });
        server.store.create('pods', {
          metadata: { name: 'doomed', namespace: 'demo' },
          spec: { nodeName: 'worker', containers: [{ name: 'main', image: 'busybox' }] },
        });
        const drained = await kubectl('drain', 'worker', '--force', '--grace-period=1', '--timeout=30s');
        expect(drained).toContain('node/worker drained');
        expect(server.store.get('pods', 'demo/doomed')).toBeUndefined();
        expect(
          server.store.get<{ metadata?: object; spec?: { unschedulable?: boolean } }>('nodes', 'worker')?.spec
            ?.unschedulable,
        ).toBe(true);

        if (binary.minor >= 29) {
          const explained = await kubectl('explain', 'pod.spec.containers');
          expect(explained).toMatch(/FIELD:\s+containers <\[\]Container>/);
          expect(explained).toMatch(/^\s+image\s+<string>/m);
        } else {
          // kubectl 1.27 and 1.28 read OpenAPI v2 (protobuf), which the fake server does not serve.
          await expect(kubectl('explain', 'pod.spec.containers')).rejects.toThrow(/NotFound/);
        }
        await expect(kubectl('top', 'pods', ...demo)).rejects.toThrow(/Metrics API not available/);
      });
    },
    180_000,
  );
});
