import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeOutput, runCommand } from './throwaway-project.js';

export const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** The published packages, by name, with their directory in the repository. */
export const publishedPackages = {
  '@kubeinformers/core': 'packages/core',
  '@kubeinformers/k8s-client-adapter': 'packages/k8s-client-adapter',
  '@kubeinformers/testing': 'packages/testing',
  '@kubeinformers/web': 'packages/web',
  '@kubeinformers/react': 'packages/react',
  '@kubeinformers/opentelemetry': 'packages/metrics',
} as const;

export type PublishedPackage = keyof typeof publishedPackages;

export interface PackedPackages {
  readonly directory: string;
  /** Tarball paths by package name. */
  readonly tarballs: Readonly<Record<PublishedPackage, string>>;
  remove(): void;
}

/** `pnpm pack` of every published package (from its built `dist`), as `pnpm publish` would upload it. */
export async function packPublishedPackages(timeoutMs: number): Promise<PackedPackages> {
  const directory = mkdtempSync(join(tmpdir(), 'kubeinformers-packed-'));
  const tarballs: Partial<Record<PublishedPackage, string>> = {};
  for (const [name, packageDirectory] of Object.entries(publishedPackages) as [PublishedPackage, string][]) {
    const before = new Set(readdirSync(directory));
    const output = await runCommand('pnpm', ['pack', '--pack-destination', directory], {
      cwd: join(repositoryRoot, packageDirectory),
      timeoutMs,
    });
    if (output.exitCode !== 0) throw new Error(`pnpm pack of ${name} failed: ${describeOutput(output)}`);
    const created = readdirSync(directory).filter((file) => !before.has(file));
    if (created.length !== 1)
      throw new Error(`pnpm pack of ${name} wrote ${created.join(', ') || 'nothing'}`);
    tarballs[name] = join(directory, created[0] ?? '');
  }
  return {
    directory,
    tarballs: tarballs as Record<PublishedPackage, string>,
    remove: () => rmSync(directory, { recursive: true, force: true }),
  };
}
