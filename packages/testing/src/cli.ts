#!/usr/bin/env node
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { FakeApiServer } from './fake-api-server.js';
import { parseFeatureGates } from './feature-gates.js';

const usage = `Usage: kubeinformers-fake-apiserver [options]

A fake Kubernetes API server for tests and benchmarks. Once listening, the first line on stdout is
{"url": "...", "kubeconfig": "<absolute path or null>"}. Runs until SIGINT/SIGTERM, then exits 0.

Options:
  --host <address>          interface to listen on (default 127.0.0.1)
  --port <n>                port; 0 picks a free one (default 0)
  --seed <empty|demo>       start empty or with the cluster pnpm demo shows (default empty)
  --kubeconfig <file>       write a kubeconfig for this server to <file>
  --token <token>           require this bearer token (repeatable; the first goes into the kubeconfig)
  --tls                     serve HTTPS with an in-process CA (embedded in the kubeconfig)
  --http2                   with --tls: offer HTTP/2 by ALPN, as the API server does (HTTP/1.1 still served)
  --control                 serve the /_fake/... control path (faults, seeding, churn)
  --cors <origin>           let browser pages from <origin> call the server (repeatable; '*' = any)
  --watch-history <n>       events kept per resource for watch resumption (default 10000)
  --bookmark-interval <ms>  interval of watch bookmarks (default 60000)
  --feature-gates <gates>   as kube-apiserver's, e.g. ShardedListAndWatch=false (all on by default)
  --help                    show this help
`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: '0' },
      seed: { type: 'string', default: 'empty' },
      kubeconfig: { type: 'string' },
      token: { type: 'string', multiple: true },
      tls: { type: 'boolean', default: false },
      http2: { type: 'boolean', default: false },
      control: { type: 'boolean', default: false },
      cors: { type: 'string', multiple: true },
      'watch-history': { type: 'string' },
      'bookmark-interval': { type: 'string' },
      'feature-gates': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(usage);
    return;
  }
  if (values.seed !== 'empty' && values.seed !== 'demo') throw new Error(`--seed must be "empty" or "demo"`);
  // HTTP/2 is negotiated during the TLS handshake (ALPN); clients do not speak it over plain TCP here.
  if (values.http2 && !values.tls) throw new Error('--http2 needs --tls');
  const server = await FakeApiServer.start({
    host: values.host,
    port: integer('--port', values.port),
    seed: values.seed,
    tls: values.tls,
    http2: values.http2,
    control: values.control,
    ...(values.token === undefined ? {} : { tokens: values.token }),
    ...(values.cors === undefined ? {} : { cors: values.cors.includes('*') ? true : values.cors }),
    ...(values['watch-history'] === undefined
      ? {}
      : { watchHistorySize: integer('--watch-history', values['watch-history']) }),
    ...(values['feature-gates'] === undefined
      ? {}
      : { featureGates: parseFeatureGates(values['feature-gates']) }),
    ...(values['bookmark-interval'] === undefined
      ? {}
      : { bookmarkIntervalMs: integer('--bookmark-interval', values['bookmark-interval']) }),
  });
  let kubeconfigPath: string | null = null;
  if (values.kubeconfig !== undefined) {
    kubeconfigPath = resolve(values.kubeconfig);
    writeFileSync(kubeconfigPath, server.kubeconfig(), { mode: 0o600 });
  }
  // Handlers first: a driver may send SIGTERM as soon as it has read the first line.
  const stop = () => {
    void server.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  process.stdout.write(`${JSON.stringify({ url: server.url, kubeconfig: kubeconfigPath })}\n`);
}

function integer(flag: string, text: string): number {
  if (!/^\d+$/.test(text))
    throw new Error(`${flag} must be a non-negative integer, got ${JSON.stringify(text)}`);
  return Number(text);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `kubeinformers-fake-apiserver: ${error instanceof Error ? error.message : String(error)}\n\n${usage}`,
  );
  process.exit(2);
});
