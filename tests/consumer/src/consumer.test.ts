import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { metricDescriptions } from '@kubeinformers/opentelemetry';
import { FakeApiServer, podFixture } from '@kubeinformers/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectExitedCleanly,
  expectTypechecks,
  readmeSamples,
  strictTsconfig,
  typeScriptCompilers,
} from './consumer-checks.js';
import {
  type PackedPackages,
  type PublishedPackage,
  packPublishedPackages,
  publishedPackages,
  repositoryRoot,
} from './packed-packages.js';
import {
  describeOutput,
  type PackageManager,
  runCommand,
  ThrowawayProject,
  type ThrowawayProjectOptions,
} from './throwaway-project.js';

// What a user installs, used as a user would: the published packages are packed as `pnpm publish` would upload
// them, installed from the tarballs into fresh projects outside the repository (npm and pnpm), typechecked
// strictly without skipLibCheck by the newest TypeScript and the oldest we support, and run. Every process
// must exit by itself: a socket or timer left open keeps it alive until its bound kills it, which fails.

const installTimeoutMs = 120_000;
const runTimeoutMs = 60_000;

const browserExamples = join(repositoryRoot, 'apps/dashboard/src');
const syncAndWatchModule = join(repositoryRoot, 'tests/runtimes/src/sync-and-watch.ts');
const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));

/** A fresh project with `options`, installed, and removed after the suite. */
async function installProject(options: ThrowawayProjectOptions): Promise<ThrowawayProject> {
  const project = await ThrowawayProject.create(options, installTimeoutMs);
  projects.push(project);
  return project;
}

let packed: PackedPackages;
let plainServer: FakeApiServer;
let secureServer: FakeApiServer;
const projects: ThrowawayProject[] = [];

beforeAll(async () => {
  packed = await packPublishedPackages(60_000);
  plainServer = await FakeApiServer.start();
  secureServer = await FakeApiServer.start({ seed: 'demo', tls: true, tokens: ['consumer-token'] });
}, 120_000);

afterAll(async () => {
  for (const project of projects) project.remove();
  packed?.remove();
  await Promise.all([plainServer?.close(), secureServer?.close()]);
});

describe('the tarballs', () => {
  let unpacked: string;
  beforeAll(async () => {
    unpacked = join(packed.directory, 'unpacked');
    for (const [name, tarball] of Object.entries(packed.tarballs)) {
      const target = join(unpacked, name);
      mkdirSync(target, { recursive: true });
      const output = await runCommand('tar', ['-xzf', tarball, '-C', target, '--strip-components=1'], {
        cwd: packed.directory,
        timeoutMs: 30_000,
      });
      expect(output.exitCode, describeOutput(output)).toBe(0);
    }
  });

  const names = Object.keys(publishedPackages) as PublishedPackage[];
  function filesOf(name: PublishedPackage): string[] {
    const root = join(unpacked, name);
    const walk = (directory: string): string[] =>
      readdirSync(directory, { withFileTypes: true }).flatMap((entry) =>
        entry.isDirectory()
          ? walk(join(directory, entry.name))
          : [relative(root, join(directory, entry.name))],
      );
    return walk(root);
  }

  it.each(names)('%s carries its LICENSE (Apache-2.0) and README', (name) => {
    const files = filesOf(name);
    expect(files).toContain('LICENSE');
    expect(files).toContain('README.md');
    expect(readFileSync(join(unpacked, name, 'LICENSE'), 'utf8')).toContain('Apache License');
    const manifest = JSON.parse(readFileSync(join(unpacked, name, 'package.json'), 'utf8'));
    expect(manifest.license).toBe('Apache-2.0');
  });

  it.each(names)('%s serves import and require(esm): types, import and default conditions', (name) => {
    const manifest = JSON.parse(readFileSync(join(unpacked, name, 'package.json'), 'utf8'));
    expect(Object.keys(manifest.exports['.'])).toEqual(['types', 'import', 'default']);
    expect(JSON.stringify(manifest)).not.toContain('workspace:');
  });

  it.each(names)('%s has source maps that carry their sources, and no declaration maps', (name) => {
    const files = filesOf(name);
    const maps = files.filter((file) => file.endsWith('.js.map'));
    expect(maps.length).toBeGreaterThan(0);
    for (const map of maps) {
      const content = JSON.parse(readFileSync(join(unpacked, name, map), 'utf8'));
      expect(content.sourcesContent?.length, map).toBe(content.sources.length);
    }
    expect(files.filter((file) => file.endsWith('.d.ts.map'))).toEqual([]);
    expect(files.filter((file) => /\.test(-d)?\./.test(file))).toEqual([]);
  });

  it.each(names)('%s has declarations under 100 KiB per file', (name) => {
    const oversized = filesOf(name)
      .filter((file) => file.endsWith('.d.ts'))
      .map((file) => ({ file, bytes: statSync(join(unpacked, name, file)).size }))
      .filter(({ bytes }) => bytes >= 100 * 1024);
    expect(oversized).toEqual([]);
  });

  it.each(names)('%s has a README whose links work on the registry (absolute, or none)', (name) => {
    const readme = readFileSync(join(unpacked, name, 'README.md'), 'utf8');
    const targets = [...readme.matchAll(/\]\(([^)]+)\)/g)].map((match) => match[1] ?? '');
    expect(targets.filter((target) => !/^https:\/\//.test(target))).toEqual([]);
  });
});

describe('core alone (npm)', () => {
  let project: ThrowawayProject;
  beforeAll(async () => {
    project = await installProject({
      packageManager: 'npm',
      tarballs: { '@kubeinformers/core': packed.tarballs['@kubeinformers/core'] },
      files: {
        'src/sync-and-watch.ts': syncAndWatchModule,
        ...readmeSamples(
          ['root-', 'core-'],
          // Samples that import Node's own modules need @types/node; the Node projects below check them.
          (text) => !/k8s-client-adapter|@kubernetes\/client-node|from 'node:/.test(text),
        ),
      },
      // No @types package at all: the default libs for ES2022 (which include the DOM's fetch) are all a
      // user of core on any runtime has.
      tsconfig: strictTsconfig({ types: [] }),
    });
  }, installTimeoutMs);

  it.each(Object.entries(typeScriptCompilers))(
    'typechecks the README samples and a fetch transport with TypeScript %s',
    async (_, tsc) => {
      expect(
        existsSync(join(project.directory, 'node_modules/@types')),
        'core alone brought an @types package',
      ).toBe(false);
      await expectTypechecks(project, tsc);
    },
  );

  it('syncs and watches through a fetch transport, then exits by itself', async () => {
    const source = [
      `import { syncAndWatch } from './src/sync-and-watch.ts';`,
      `const result = await syncAndWatch(${JSON.stringify(plainServer.url)}, { name: 'from-npm' });`,
      'console.log(JSON.stringify(result));',
    ].join('\n');
    const output = await project.run(
      process.execPath,
      ['--input-type=module', '--eval', source],
      runTimeoutMs,
    );
    expectExitedCleanly(output);
    expect(JSON.parse(output.stdout).watchedKey).toBe('default/from-npm');
  });

  it('can be required from CommonJS (require(esm))', async () => {
    const source = `const core = require('@kubeinformers/core'); console.log(typeof core.createInformerFactory);`;
    const output = await project.run(
      process.execPath,
      ['--input-type=commonjs', '--eval', source],
      runTimeoutMs,
    );
    expectExitedCleanly(output);
    expect(output.stdout.trim()).toBe('function');
  });
});

describe.each<PackageManager>(['npm', 'pnpm'])('adapter and testing (%s)', (packageManager) => {
  let project: ThrowawayProject;
  beforeAll(async () => {
    project = await installProject({
      packageManager,
      tarballs: {
        '@kubeinformers/core': packed.tarballs['@kubeinformers/core'],
        '@kubeinformers/k8s-client-adapter': packed.tarballs['@kubeinformers/k8s-client-adapter'],
        '@kubeinformers/testing': packed.tarballs['@kubeinformers/testing'],
      },
      dependencies: { '@kubernetes/client-node': '^2.0.1', '@types/node': '^24.10.0', vitest: '^5.1.1' },
      files: readmeSamples(['root-', 'core-', 'adapter-', 'testing-']),
      tsconfig: strictTsconfig({}),
    });
  }, installTimeoutMs);

  it.each(Object.entries(typeScriptCompilers))(
    'typechecks every README sample with TypeScript %s',
    async (_, tsc) => {
      await expectTypechecks(project, tsc);
    },
  );

  it('typechecks every README sample without the DOM lib (a Node project with lib es2022 and @types/node)', async () => {
    await expectTypechecks(project, typeScriptCompilers.latest, '--lib', 'es2022');
  });

  it('runs the README quick start against a TLS fake server through a kubeconfig, then exits by itself', async () => {
    const kubeconfig = join(project.directory, 'fake.kubeconfig');
    writeFileSync(kubeconfig, secureServer.kubeconfig());
    const output = await project.run(process.execPath, ['src/root-walkthrough.ts'], runTimeoutMs, {
      KUBECONFIG: kubeconfig,
    });
    expectExitedCleanly(output);
    expect(output.stdout).toMatch(/ADDED pod with name /);
    expect(output.stdout).toMatch(/\d+ replicasets, \d+ services/);
  });

  it("runs the testing README's FakeApiServer test with vitest, which exits by itself", async () => {
    const output = await project.run(
      join(project.directory, 'node_modules/.bin/vitest'),
      ['run', 'src/testing-informer.test.ts'],
      runTimeoutMs * 2,
    );
    expectExitedCleanly(output);
    expect(output.stdout).toMatch(/1 passed/);
  });
});

describe('web and react (npm)', () => {
  let project: ThrowawayProject;
  beforeAll(async () => {
    project = await installProject({
      packageManager: 'npm',
      tarballs: {
        '@kubeinformers/core': packed.tarballs['@kubeinformers/core'],
        '@kubeinformers/web': packed.tarballs['@kubeinformers/web'],
        '@kubeinformers/react': packed.tarballs['@kubeinformers/react'],
      },
      dependencies: {
        react: '^19.0.0',
        'react-dom': '^19.0.0',
        '@types/react': '^19.0.0',
        '@types/react-dom': '^19.0.0',
      },
      files: {
        'src/kube-types.ts': join(browserExamples, 'kube-types.ts'),
        ...Object.fromEntries(
          readdirSync(join(browserExamples, 'readme-examples'))
            .filter((name) => /^(web|react|root-react)-.*\.tsx?$/.test(name))
            .map((name) => [`src/readme-examples/${name}`, join(browserExamples, 'readme-examples', name)]),
        ),
      },
      // A browser project: the default libs (DOM included), React's JSX, and no Node types.
      tsconfig: strictTsconfig({ jsx: 'react-jsx', types: [] }),
    });
  }, installTimeoutMs);

  it.each(Object.entries(typeScriptCompilers))(
    'typechecks the web and React README samples with TypeScript %s',
    async (_, tsc) => {
      await expectTypechecks(project, tsc);
    },
  );

  it('syncs through the web transport, renders the hooks on the server without connecting, then exits by itself', async () => {
    plainServer.store.create('pods', podFixture({ name: 'from-web', namespace: 'default' }));
    const source = [
      `import { createInformerFactory, defineResource } from '@kubeinformers/core';`,
      `import { browserTransport } from '@kubeinformers/web';`,
      `import { defineInformer, InformerProvider, useInformerHealth } from '@kubeinformers/react';`,
      `import { createElement } from 'react';`,
      `import { renderToString } from 'react-dom/server';`,
      `const pods = defineResource({ group: '', version: 'v1', resource: 'pods', kind: 'Pod', namespaced: true });`,
      `const transport = browserTransport({ baseUrl: ${JSON.stringify(plainServer.url)} });`,
      'const controller = new AbortController();',
      'const factory = createInformerFactory(transport);',
      'const informer = factory.informerFor(pods);',
      'factory.start(controller.signal);',
      'await factory.waitForCacheSync(controller.signal);',
      `const synced = informer.store.getByKey('default/from-web') !== undefined;`,
      'controller.abort();',
      'const definition = defineInformer(pods);',
      'function Status() { const health = useInformerHealth(definition); return createElement("p", null, String(health.synced)); }',
      'let rendered = 0;',
      'const counted = { request: (request) => { rendered += 1; return transport.request(request); } };',
      'const html = renderToString(createElement(InformerProvider, { transport: counted }, createElement(Status)));',
      'console.log(JSON.stringify({ synced, html, rendered }));',
    ].join('\n');
    const output = await project.run(
      process.execPath,
      ['--input-type=module', '--eval', source],
      runTimeoutMs,
    );
    expectExitedCleanly(output);
    // On the server the hooks report the unsynced state and never reach the transport.
    expect(JSON.parse(output.stdout)).toEqual({ synced: true, html: '<p>false</p>', rendered: 0 });
  });
});

describe.each<PackageManager>(['npm', 'pnpm'])('opentelemetry with the SDK (%s)', (packageManager) => {
  let project: ThrowawayProject;
  beforeAll(async () => {
    project = await installProject({
      packageManager,
      tarballs: {
        '@kubeinformers/core': packed.tarballs['@kubeinformers/core'],
        '@kubeinformers/k8s-client-adapter': packed.tarballs['@kubeinformers/k8s-client-adapter'],
        '@kubeinformers/opentelemetry': packed.tarballs['@kubeinformers/opentelemetry'],
      },
      dependencies: {
        '@kubernetes/client-node': '^2.0.1',
        '@types/node': '^24.10.0',
        '@opentelemetry/api': '^1.10.0',
        '@opentelemetry/exporter-prometheus': '^0.301.0',
        '@opentelemetry/resources': '^3.1.1',
        '@opentelemetry/sdk-metrics': '^3.1.1',
        // @kubernetes/client-node's declarations import `ws` (through isomorphic-ws) but do not bring its
        // types; the adapter-and-testing project gets them through @kubeinformers/testing.
        '@types/ws': '^8.18.2',
      },
      files: {
        'src/opentelemetry-scrape.ts': join(fixtures, 'opentelemetry-scrape.ts'),
        ...readmeSamples(['opentelemetry-']),
      },
      tsconfig: strictTsconfig({}),
    });
  }, installTimeoutMs);

  it.each(Object.entries(typeScriptCompilers))(
    'typechecks the README samples and a scrape with TypeScript %s',
    async (_, tsc) => {
      await expectTypechecks(project, tsc);
    },
  );

  it('exports client-go’s work queue metrics through the Prometheus exporter, then exits by itself', async () => {
    const output = await project.run(process.execPath, ['src/opentelemetry-scrape.ts'], runTimeoutMs);
    expectExitedCleanly(output);
    for (const metric of [
      'workqueue_adds_total',
      'workqueue_depth',
      'workqueue_queue_duration_seconds_count',
      'workqueue_work_duration_seconds_count',
    ]) {
      expect(output.stdout).toMatch(new RegExp(`^${metric}\\{name="jobs"[^}]*\\} \\d+$`, 'm'));
    }
    expect(output.stdout).toMatch(/^workqueue_queue_duration_seconds_count\{name="jobs"[^}]*\} 1$/m);
    expect(output.stdout).toMatch(
      /^workqueue_work_duration_seconds_bucket\{name="jobs"[^}]*le="\+Inf"\} 1$/m,
    );
  });
});

describe('opentelemetry with the API alone, no SDK (npm)', () => {
  let project: ThrowawayProject;
  beforeAll(async () => {
    project = await installProject({
      packageManager: 'npm',
      tarballs: {
        '@kubeinformers/core': packed.tarballs['@kubeinformers/core'],
        '@kubeinformers/opentelemetry': packed.tarballs['@kubeinformers/opentelemetry'],
      },
      dependencies: { '@opentelemetry/api': '^1.10.0', '@types/node': '^24.10.0' },
      files: { 'src/without-sdk.ts': join(fixtures, 'opentelemetry-without-sdk.ts') },
      tsconfig: strictTsconfig({}),
    });
  }, installTimeoutMs);

  it('installs no SDK package, typechecks strictly and runs the hooks as no-ops', async () => {
    expect(existsSync(join(project.directory, 'node_modules/@opentelemetry/sdk-metrics'))).toBe(false);
    await expectTypechecks(project, typeScriptCompilers.latest);
    await expectTypechecks(project, typeScriptCompilers.oldest);
    const output = await project.run(process.execPath, ['src/without-sdk.ts'], runTimeoutMs);
    expectExitedCleanly(output);
    expect(JSON.parse(output.stdout)).toEqual({ metrics: metricDescriptions.length });
  });
});
