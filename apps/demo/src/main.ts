#!/usr/bin/env node
import { type DemoOptions, parseDemoOptions, usage } from './options.js';
import { Terminal } from './terminal.js';

/**
 * Runs the demo and returns the exit code. The process then exits on its own: nothing may be left
 * running (no `process.exit`, which would hide a leaked socket or timer).
 */
async function main(): Promise<number> {
  let options: DemoOptions;
  try {
    options = parseDemoOptions(process.argv.slice(2), process.env, process.stdout.isTTY === true);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n\n${usage}`);
    return 2;
  }
  if (options.help) {
    process.stdout.write(usage);
    return 0;
  }
  const terminal = new Terminal((text) => process.stdout.write(text), options.color);
  // One AbortController stops everything: the informers, their watches and timers, the churn.
  const controller = new AbortController();
  const interrupt = (signal: NodeJS.Signals) => {
    // A second Ctrl-C while stopping gets Node's default behaviour back: terminate at once.
    process.off('SIGINT', interrupt);
    process.off('SIGTERM', interrupt);
    if (controller.signal.aborted) return;
    terminal.line('stopping', `${signal}: aborting the AbortController every informer runs under`, 'yellow');
    controller.abort();
  };
  process.on('SIGINT', interrupt);
  process.on('SIGTERM', interrupt);
  try {
    // Loaded only now: the official client, the fake server and core take seconds to import on a busy
    // machine, and `--help` or a wrong flag should answer at once.
    if (options.replicas !== undefined) {
      const { runShardedDemo } = await import('./sharded-demo.js');
      await runShardedDemo({ ...options, replicas: options.replicas }, terminal, controller);
      return 0;
    }
    const { runDemo } = await import('./demo.js');
    await runDemo(options, terminal, controller);
    return 0;
  } catch (error) {
    // A message, not a stack: the usual causes are a wrong kubeconfig, context or network.
    const cause = error instanceof Error && error.cause instanceof Error ? ` (${error.cause.message})` : '';
    process.stderr.write(`demo failed: ${error instanceof Error ? error.message : String(error)}${cause}\n`);
    return 1;
  } finally {
    process.off('SIGINT', interrupt);
    process.off('SIGTERM', interrupt);
  }
}

process.exitCode = await main();
