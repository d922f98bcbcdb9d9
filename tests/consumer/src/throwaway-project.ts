import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { x } from 'tinyexec';

/** The result of a command that had to end by itself within its bound. */
export interface CommandOutput {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number | undefined;
  /** True when the bound ran out and the process was killed: it did not exit by itself. */
  readonly killed: boolean;
  readonly elapsedMs: number;
}

/**
 * Runs `command` and waits for it to end, killing it after `timeoutMs`. The output says whether it was
 * killed, so a test can tell a process that exits by itself from one kept alive by a socket or a timer.
 */
export async function runCommand(
  command: string,
  args: readonly string[],
  options: { cwd: string; timeoutMs: number; env?: Record<string, string> },
): Promise<CommandOutput> {
  const started = performance.now();
  const run = x(command, args, {
    timeout: options.timeoutMs,
    throwOnError: false,
    nodeOptions: { cwd: options.cwd, env: { ...process.env, NO_COLOR: '1', ...options.env } },
  });
  const output = await run;
  return { ...output, killed: run.killed, elapsedMs: Math.round(performance.now() - started) };
}

/** Explains a failed command in an assertion message. */
export function describeOutput(output: CommandOutput): string {
  return `exit ${output.exitCode}${output.killed ? ' (killed: did not end in time)' : ''} after ${output.elapsedMs} ms\n${output.stdout}\n${output.stderr}`;
}

export type PackageManager = 'npm' | 'pnpm';

export interface ThrowawayProjectOptions {
  readonly packageManager: PackageManager;
  /** Tarballs of our packages, by package name. */
  readonly tarballs: Readonly<Record<string, string>>;
  /** Registry dependencies, by name: version range. */
  readonly dependencies?: Readonly<Record<string, string>>;
  /** Files to copy in, by their name in the project. */
  readonly files: Readonly<Record<string, string>>;
  readonly tsconfig: Readonly<Record<string, unknown>>;
}

/**
 * A fresh project outside the repository, as a user creates one: `"type": "module"`, our packages from
 * their tarballs, the rest from the registry. Our packages depend on each other by version, so the project
 * pins those to the tarballs too (npm `overrides`, pnpm `overrides`); nothing of ours comes from the
 * registry.
 */
export class ThrowawayProject {
  readonly directory: string;

  private constructor(directory: string) {
    this.directory = directory;
  }

  static async create(options: ThrowawayProjectOptions, installTimeoutMs: number): Promise<ThrowawayProject> {
    const directory = mkdtempSync(join(tmpdir(), `kubeinformers-consumer-${options.packageManager}-`));
    const project = new ThrowawayProject(directory);
    const ours = Object.fromEntries(
      Object.entries(options.tarballs).map(([name, tarball]) => [name, `file:${tarball}`]),
    );
    const manifest: Record<string, unknown> = {
      name: 'consumer',
      private: true,
      type: 'module',
      dependencies: { ...ours, ...options.dependencies },
    };
    if (options.packageManager === 'npm') {
      manifest.overrides = Object.fromEntries(Object.keys(ours).map((name) => [name, `$${name}`]));
    } else {
      // pnpm reads overrides from its workspace file; this also keeps it from looking for a parent workspace.
      writeFileSync(
        join(directory, 'pnpm-workspace.yaml'),
        `overrides:\n${Object.entries(ours)
          .map(([name, spec]) => `  '${name}': '${spec}'\n`)
          .join('')}`,
      );
    }
    writeFileSync(join(directory, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    writeFileSync(join(directory, 'tsconfig.json'), `${JSON.stringify(options.tsconfig, null, 2)}\n`);
    for (const [name, source] of Object.entries(options.files)) {
      mkdirSync(join(directory, name, '..'), { recursive: true });
      cpSync(source, join(directory, name));
    }
    const install =
      options.packageManager === 'npm'
        ? await project.run(
            'npm',
            ['install', '--no-audit', '--no-fund', '--prefer-offline'],
            installTimeoutMs,
          )
        : await project.run(
            'pnpm',
            ['install', '--prefer-offline', '--config.confirmModulesPurge=false'],
            installTimeoutMs,
          );
    if (install.exitCode !== 0)
      throw new Error(`${options.packageManager} install failed: ${describeOutput(install)}`);
    return project;
  }

  run(
    command: string,
    args: readonly string[],
    timeoutMs: number,
    env?: Record<string, string>,
  ): Promise<CommandOutput> {
    return runCommand(command, args, {
      cwd: this.directory,
      timeoutMs,
      ...(env === undefined ? {} : { env }),
    });
  }

  /** Deletes the project, unless KUBEINFORMERS_KEEP_CONSUMER_PROJECTS is set (to look into a failure). */
  remove(): void {
    if (process.env.KUBEINFORMERS_KEEP_CONSUMER_PROJECTS) {
      console.log(`kept ${this.directory}`);
      return;
    }
    rmSync(this.directory, { recursive: true, force: true });
  }
}
