#!/usr/bin/env node
// Records the request bodies kubectl sends for its object-creating subcommands, once from a kubectl that
// sends protobuf (1.32+) and once from one that sends JSON (1.30), through a recording proxy in front of
// the fake server. Writes src/http/protobuf/kubectl-request-bodies.json, which the round-trip test
// decodes: every protobuf body must become exactly the JSON the older kubectl sent for the same command.
//
// Usage (after `pnpm build`): node scripts/capture-kubectl-bodies.mjs [protobuf kubectl] [json kubectl]
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { CertificateAuthority, FakeApiServer } from '../dist/index.js';

const run = promisify(execFile);
const [protobufKubectl = '/usr/bin/kubectl', jsonKubectl = '/usr/lib/google-cloud-sdk/bin/kubectl.1.30'] =
  process.argv.slice(2);
const directory = mkdtempSync(join(tmpdir(), 'kubectl-bodies-'));
const tls = await (await CertificateAuthority.create()).issueServerCertificate(['tls.example.com']);
writeFileSync(join(directory, 'tls.crt'), tls.certificate);
writeFileSync(join(directory, 'tls.key'), tls.key);

/** name, kubectl arguments, and the POST path whose body is the case's object. */
const cases = [
  ['namespace', ['create', 'namespace', 'demo'], /^\/api\/v1\/namespaces\?/],
  [
    'configmap',
    ['create', 'configmap', 'settings', '--from-literal=mode=fast', '--from-literal=empty='],
    /\/configmaps\?/,
  ],
  [
    'secret-generic',
    ['create', 'secret', 'generic', 'password', '--from-literal=password=s3cr3t', '--type=Opaque'],
    /\/secrets\?/,
  ],
  [
    'secret-tls',
    [
      'create',
      'secret',
      'tls',
      'serving',
      `--cert=${join(directory, 'tls.crt')}`,
      `--key=${join(directory, 'tls.key')}`,
    ],
    /\/secrets\?/,
  ],
  [
    'secret-docker-registry',
    [
      'create',
      'secret',
      'docker-registry',
      'pull',
      '--docker-server=registry.example.com',
      '--docker-username=robot',
      '--docker-password=hunter2',
      '--docker-email=robot@example.com',
    ],
    /\/secrets\?/,
  ],
  [
    'deployment',
    ['create', 'deployment', 'web', '--image=nginx:1.27', '--replicas=3', '--port=80'],
    /\/deployments\?/,
  ],
  [
    'service-clusterip',
    ['create', 'service', 'clusterip', 'backend', '--tcp=80:8080', '--tcp=443:8443'],
    /\/services\?/,
  ],
  [
    'service-clusterip-headless',
    ['create', 'service', 'clusterip', 'headless', '--clusterip=None'],
    /\/services\?/,
  ],
  [
    'service-nodeport',
    ['create', 'service', 'nodeport', 'edge', '--tcp=80:8080', '--node-port=30080'],
    /\/services\?/,
  ],
  ['service-loadbalancer', ['create', 'service', 'loadbalancer', 'public', '--tcp=443:8443'], /\/services\?/],
  [
    'service-externalname',
    ['create', 'service', 'externalname', 'upstream', '--external-name=example.com', '--tcp=80'],
    /\/services\?/,
  ],
  ['serviceaccount', ['create', 'serviceaccount', 'robot'], /\/serviceaccounts\?/],
  ['job', ['create', 'job', 'once', '--image=busybox:1.36', '--', 'echo', 'hello'], /\/jobs\?/],
  [
    'cronjob',
    [
      'create',
      'cronjob',
      'nightly',
      '--image=busybox:1.36',
      '--schedule=0 3 * * *',
      '--restart=OnFailure',
      '--',
      'date',
    ],
    /\/cronjobs\?/,
  ],
  [
    'role',
    [
      'create',
      'role',
      'reader',
      '--verb=get,list,watch',
      '--resource=pods,deployments.apps,pods/log',
      '--resource-name=web',
    ],
    /\/roles\?/,
  ],
  [
    'rolebinding',
    [
      'create',
      'rolebinding',
      'read',
      '--role=reader',
      '--user=alice',
      '--group=devs',
      '--serviceaccount=default:robot',
    ],
    /\/rolebindings\?/,
  ],
  [
    'clusterrole',
    ['create', 'clusterrole', 'node-reader', '--verb=get,list', '--resource=nodes'],
    /\/clusterroles\?/,
  ],
  [
    'clusterrole-aggregation',
    [
      'create',
      'clusterrole',
      'monitoring',
      '--aggregation-rule=rbac.example.com/aggregate-to-monitoring=true',
    ],
    /\/clusterroles\?/,
  ],
  [
    'clusterrole-nonresource',
    [
      'create',
      'clusterrole',
      'health',
      '--verb=get',
      '--non-resource-url=/healthz',
      '--non-resource-url=/logs/*',
    ],
    /\/clusterroles\?/,
  ],
  [
    'clusterrolebinding',
    ['create', 'clusterrolebinding', 'read-nodes', '--clusterrole=node-reader', '--group=ops'],
    /\/clusterrolebindings\?/,
  ],
  [
    'quota',
    [
      'create',
      'quota',
      'limits',
      '--hard=cpu=1500m,memory=2Gi,pods=10,requests.storage=0',
      '--scopes=NotTerminating',
    ],
    /\/resourcequotas\?/,
  ],
  [
    'poddisruptionbudget-min',
    ['create', 'poddisruptionbudget', 'web-pdb', '--selector=app=web', '--min-available=50%'],
    /\/poddisruptionbudgets\?/,
  ],
  [
    'poddisruptionbudget-max',
    ['create', 'poddisruptionbudget', 'api-pdb', '--selector=app=api', '--max-unavailable=1'],
    /\/poddisruptionbudgets\?/,
  ],
  [
    'priorityclass',
    [
      'create',
      'priorityclass',
      'high',
      '--value=1000',
      '--description=important',
      '--preemption-policy=Never',
    ],
    /\/priorityclasses\?/,
  ],
  [
    'priorityclass-default',
    ['create', 'priorityclass', 'standard', '--value=0', '--global-default'],
    /\/priorityclasses\?/,
  ],
  [
    'ingress',
    [
      'create',
      'ingress',
      'site',
      '--class=nginx',
      '--rule=shop.example.com/cart*=cart:8080,tls=shop-cert',
      '--rule=/=web:80',
      '--annotation=example.com/owner=team',
    ],
    /\/ingresses\?/,
  ],
  [
    'ingress-default-backend',
    ['create', 'ingress', 'fallback', '--default-backend=web:http'],
    /\/ingresses\?/,
  ],
  [
    'run',
    [
      'run',
      'nginx',
      '--image=nginx:1.27',
      '--port=80',
      '--labels=app=nginx,tier=web',
      '--env=MODE=demo',
      '--restart=Never',
    ],
    /\/pods\?/,
  ],
  [
    'expose',
    ['expose', 'deployment', 'web', '--port=80', '--target-port=8080', '--name=web-exposed'],
    /\/services\?/,
  ],
  [
    'token',
    ['create', 'token', 'robot', '--duration=2h', '--audience=api.example.com'],
    /\/serviceaccounts\/robot\/token/,
  ],
  [
    'auth-can-i',
    ['auth', 'can-i', 'create', 'deployments.apps', '-n', 'default'],
    /selfsubjectaccessreviews/,
  ],
  ['auth-can-i-list', ['auth', 'can-i', '--list', '-n', 'default'], /selfsubjectrulesreviews/],
  ['drain', ['drain', 'drain-me', '--force', '--grace-period=5'], /\/pods\/doomed\/eviction/],
];

async function capture(kubectl) {
  const server = await FakeApiServer.start({});
  server.store.create('nodes', { metadata: { name: 'drain-me' } });
  server.store.create('pods', {
    metadata: { name: 'doomed', namespace: 'default' },
    spec: { nodeName: 'drain-me', containers: [{ name: 'main', image: 'busybox' }] },
  });
  const recorded = [];
  const proxy = createServer((incoming, outgoing) => {
    const chunks = [];
    incoming.on('data', (chunk) => chunks.push(chunk));
    incoming.on('end', () => {
      const body = Buffer.concat(chunks);
      if (incoming.method === 'POST') {
        recorded.push({ path: incoming.url, contentType: incoming.headers['content-type'] ?? '', body });
      }
      const forward = httpRequest(
        {
          host: '127.0.0.1',
          port: server.port,
          method: incoming.method,
          path: incoming.url,
          headers: incoming.headers,
        },
        (answer) => {
          outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(outgoing);
        },
      );
      forward.end(body);
    });
  });
  await new Promise((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const kubeconfig = join(directory, `config-${Date.now()}`);
  writeFileSync(
    kubeconfig,
    server.kubeconfig().replace(server.url, `http://127.0.0.1:${proxy.address().port}`),
  );
  const results = {};
  for (const [name, args, path] of cases) {
    recorded.length = 0;
    try {
      await run(kubectl, ['--kubeconfig', kubeconfig, ...args], { timeout: 60_000 });
    } catch (error) {
      // `auth can-i` exits 1 for "no"; the request is what counts.
      if (!name.startsWith('auth')) throw new Error(`${kubectl} ${args.join(' ')}: ${error.stderr ?? error}`);
    }
    const request = recorded.find((entry) => path.test(entry.path));
    if (request === undefined) throw new Error(`${kubectl} ${args.join(' ')} posted nothing to ${path}`);
    results[name] = request;
  }
  proxy.close();
  await server.close();
  return results;
}

const version = async (kubectl) =>
  JSON.parse((await run(kubectl, ['version', '--client', '-o', 'json'])).stdout).clientVersion.gitVersion;
const protobufBodies = await capture(protobufKubectl);
const jsonBodies = await capture(jsonKubectl);
const fixture = {
  comment: 'Generated by scripts/capture-kubectl-bodies.mjs. Do not edit.',
  protobufKubectl: await version(protobufKubectl),
  jsonKubectl: await version(jsonKubectl),
  cases: cases.map(([name, args]) => {
    const json = jsonBodies[name];
    const protobuf = protobufBodies[name];
    if (!json.contentType.startsWith('application/json'))
      throw new Error(`${name}: ${jsonKubectl} sent ${json.contentType}`);
    return {
      name,
      args: args.map((arg) => arg.replace(directory, '<tmp>')),
      contentType: protobuf.contentType,
      body: protobuf.contentType.startsWith('application/json')
        ? JSON.parse(protobuf.body.toString('utf8'))
        : protobuf.body.toString('base64'),
      json: JSON.parse(json.body.toString('utf8')),
    };
  }),
};
const output = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  'src',
  'http',
  'protobuf',
  'kubectl-request-bodies.json',
);
writeFileSync(output, `${JSON.stringify(fixture, null, 1)}\n`);
rmSync(directory, { recursive: true, force: true });
const protobufCount = fixture.cases.filter(
  (entry) => !entry.contentType.startsWith('application/json'),
).length;
console.log(
  `wrote ${output}: ${fixture.cases.length} cases, ${protobufCount} sent as protobuf by ${fixture.protobufKubectl}`,
);
