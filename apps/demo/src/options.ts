import { parseArgs } from 'node:util';

export interface DemoOptions {
  /** A kubeconfig file for a real cluster; `undefined` runs on the embedded fake API server. */
  readonly kubeconfig: string | undefined;
  readonly context: string | undefined;
  /** Run the walkthrough once, print a summary and exit (for scripts and CI). */
  readonly once: boolean;
  readonly help: boolean;
  readonly color: boolean;
  /** The loopback port of the Prometheus `/metrics` endpoint; 0 picks a free one. */
  readonly metricsPort: number;
  /** Run N replicas of a sharded controller instead of the walkthrough; `undefined` for the walkthrough. */
  readonly replicas: number | undefined;
}

export const usage = `Usage: kubeinformers-demo [options]

Walks through kubeinformers: a shared informer factory with pods, replicasets and services informers, a
byIP index, lookups by namespace/name and by IP, and live events. With no options it runs on an embedded
fake Kubernetes API server seeded like a small cluster; with --kubeconfig or --context, on a real cluster.

Options:
  --kubeconfig <file>  use this kubeconfig (a real cluster) instead of the embedded server
  --context <name>     use this context of the kubeconfig (implies a real cluster; default kubeconfig
                       locations apply when --kubeconfig is not given)
  --once               run the walkthrough, print a summary and exit 0
  --metrics-port <n>   serve Prometheus metrics on http://127.0.0.1:<n>/metrics (default: a free port)
  --replicas <n>       instead: n replicas of a sharded controller split the pods, then one dies and
                       the others take its ranges over (with --once, exit after the takeover)
  --no-color           plain output even on a terminal (also NO_COLOR=1)
  -h, --help           show this help
`;

/** Parses the command line; a lone `--` (as `pnpm demo -- --once` passes it) is ignored. */
export function parseDemoOptions(
  argv: readonly string[],
  environment: NodeJS.ProcessEnv,
  isTty: boolean,
): DemoOptions {
  const { values } = parseArgs({
    args: argv.filter((argument) => argument !== '--'),
    options: {
      kubeconfig: { type: 'string' },
      context: { type: 'string' },
      once: { type: 'boolean', default: false },
      'metrics-port': { type: 'string', default: '0' },
      replicas: { type: 'string' },
      'no-color': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  const metricsPort = Number(values['metrics-port']);
  if (!Number.isInteger(metricsPort) || metricsPort < 0 || metricsPort > 65535) {
    throw new Error(`--metrics-port must be a port number, got ${values['metrics-port']}`);
  }
  const replicas = values.replicas === undefined ? undefined : Number(values.replicas);
  if (replicas !== undefined && !(Number.isInteger(replicas) && replicas >= 1 && replicas <= 16)) {
    throw new Error(`--replicas must be a whole number from 1 to 16, got ${values.replicas}`);
  }
  return {
    metricsPort,
    replicas,
    kubeconfig: values.kubeconfig,
    context: values.context,
    once: values.once,
    help: values.help,
    color: isTty && !values['no-color'] && environment.NO_COLOR === undefined,
  };
}
