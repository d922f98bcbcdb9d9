import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { FakeApiServer } from './fake-api-server.js';

// The official Python client (Debian's python3-kubernetes, run with the system interpreter) against the
// fake server: typed CRUD, pagination, watch (it sends watch=True) including the 410 of an expired
// resourceVersion, and the dynamic client. CI installs the package; elsewhere the test skips loudly.

const python = '/usr/bin/python3';
const scenario = join(dirname(fileURLToPath(import.meta.url)), 'test-support', 'python-client-scenario.py');
const available = (() => {
  try {
    execFileSync(python, ['-c', 'import kubernetes'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
if (!available) {
  console.warn(
    `\n*** ${python} cannot import kubernetes (apt-get install python3-kubernetes): the Python client tests are SKIPPED, not passed. ***\n`,
  );
}

const run = promisify(execFile);
const directory = mkdtempSync(join(tmpdir(), 'python-client-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

describe.skipIf(!available)('the official Python client against the fake server', () => {
  it('does typed CRUD, paginates, watches from a resourceVersion, gets 410 for an expired one, and uses the dynamic client', async () => {
    const server = await FakeApiServer.start({ tokens: ['secret'], control: true });
    try {
      const kubeconfig = join(directory, 'config');
      writeFileSync(kubeconfig, server.kubeconfig());
      const { stdout } = await run(python, [scenario, kubeconfig, server.url], { timeout: 90_000 });
      const observed = JSON.parse(stdout);
      expect(observed.crud).toEqual({
        createdUid: true,
        patchedMode: 'slow',
        readMode: 'slow',
        resourceVersionChanged: true,
        duplicateStatus: 409,
      });
      expect(observed.pagination).toEqual({
        pages: 3,
        names: ['page-0', 'page-1', 'page-2', 'page-3', 'page-4', 'settings'],
      });
      expect(observed.watch).toEqual([
        ['ADDED', 'watched'],
        ['DELETED', 'page-0'],
      ]);
      expect(observed.expired.status).toBe(410);
      expect(observed.dynamic).toEqual({
        replicas: 2,
        listed: ['web'],
        typedImage: 'nginx:1.27',
        afterDelete: [],
      });
    } finally {
      await server.close();
    }
  }, 120_000);
});
