import { type ChildProcess, fork } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const candidateScript = new URL('./candidate.ts', import.meta.url).pathname;

export interface Replica {
  readonly identity: string;
  process: ChildProcess | undefined;
  /** Writes its guard refused, as the replica reported them. */
  refused: number;
  /** Set while the test keeps it down on purpose (killed and not to be restarted yet). */
  held: boolean;
  /** Its process is up and has read the lease: it stands for election. */
  standing: boolean;
}

/**
 * Runs the replicas as real processes and restarts one that exits (as Kubernetes restarts a pod whose
 * controller lost its lease), unless the test holds it down.
 */
export class Replicas {
  readonly all: Replica[];
  private stopping = false;

  constructor(
    identities: readonly string[],
    private readonly kubeconfigFor: (identity: string) => string,
    private readonly directory: string,
    private readonly onStop: 'drain' | 'abandon',
  ) {
    this.all = identities.map((identity) => ({
      identity,
      process: undefined,
      refused: 0,
      held: false,
      standing: false,
    }));
  }

  startAll(): void {
    for (const replica of this.all) this.start(replica);
  }

  /** Every replica not held down is up and standing for election. */
  get allStanding(): boolean {
    return this.all.every((replica) => replica.held || replica.standing);
  }

  byIdentity(identity: string): Replica {
    const replica = this.all.find((entry) => entry.identity === identity);
    if (replica === undefined) throw new Error(`no replica ${identity}`);
    return replica;
  }

  signal(identity: string, signal: NodeJS.Signals): void {
    this.byIdentity(identity).process?.kill(signal);
  }

  /** SIGKILL, and keep it down until `release`. */
  kill(identity: string): void {
    const replica = this.byIdentity(identity);
    replica.held = true;
    replica.process?.kill('SIGKILL');
  }

  release(identity: string): void {
    const replica = this.byIdentity(identity);
    replica.held = false;
    if (replica.process === undefined) this.start(replica);
  }

  /** SIGTERM to all (SIGCONT first, for any that is stopped), and waits for every one to exit. */
  async stopAll(timeoutMs: number): Promise<void> {
    this.stopping = true;
    const exits = this.all.map((replica) => {
      const child = replica.process;
      if (child === undefined || child.exitCode !== null) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          child.kill('SIGKILL');
          resolve();
        }, timeoutMs);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill('SIGCONT');
        child.kill('SIGTERM');
      });
    });
    await Promise.all(exits);
  }

  private start(replica: Replica): void {
    const file = join(this.directory, `${replica.identity}.kubeconfig`);
    writeFileSync(file, this.kubeconfigFor(replica.identity));
    const child = fork(candidateScript, [replica.identity, file, this.onStop], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    replica.process = child;
    replica.standing = false;
    child.on('message', (message: { refused?: number; standing?: boolean }) => {
      replica.refused += message.refused ?? 0;
      if (message.standing === true) replica.standing = true;
    });
    child.on('exit', () => {
      if (replica.process === child) {
        replica.process = undefined;
        replica.standing = false;
      }
      if (!this.stopping && !replica.held) this.start(replica);
    });
  }
}
