import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

// The README's error code table is checked against the error classes in the published packages' source:
// a new code, a renamed class or a removed one fails here until the table says the same.
const repositoryRoot = new URL('../../../', import.meta.url);
const sourceDirectories = [
  'packages/core/src/',
  'packages/k8s-client-adapter/src/',
  'packages/testing/src/',
  'packages/web/src/',
  'packages/react/src/',
];

/** `code → class name` for every `export class … { static … code = 'KI_…' }` in the packages' sources. */
function codesInSource(): Map<string, string> {
  const codes = new Map<string, string>();
  for (const directory of sourceDirectories) {
    const url = new URL(directory, repositoryRoot);
    const files = readdirSync(url, { recursive: true, encoding: 'utf8' }).filter(
      (name) => name.endsWith('.ts') && !name.includes('.test') && !name.includes('test-support'),
    );
    for (const file of files) {
      const text = readFileSync(new URL(file, url), 'utf8');
      for (const segment of text.split('export class ').slice(1)) {
        const className = /^\w+/.exec(segment)?.[0];
        const code = /static (?:override )?readonly code(?:: \w+)? = '(KI_[A-Z0-9_]+)'/.exec(segment)?.[1];
        if (className !== undefined && code !== undefined) codes.set(code, className);
      }
    }
  }
  return codes;
}

/** `code → class name` from the README's table rows (`| \`KI_…\` | \`Class\` | meaning |`). */
function codesInReadme(): Map<string, string> {
  const readme = readFileSync(fileURLToPath(new URL('README.md', repositoryRoot)), 'utf8');
  const rows = [...readme.matchAll(/^\| `(KI_[A-Z0-9_]+)` +\| `(\w+)` +\|/gm)];
  return new Map(rows.map((row) => [row[1] ?? '', row[2] ?? '']));
}

it('the README lists every error code with its class, and nothing else', () => {
  const inSource = codesInSource();
  expect(inSource.size).toBeGreaterThan(15);
  expect(Object.fromEntries(codesInReadme())).toEqual(Object.fromEntries(inSource));
});
