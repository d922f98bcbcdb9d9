import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The README's TypeScript samples live, verbatim, in typechecked files (`pnpm typecheck` covers this
// package's `src`), so a sample that stops compiling fails CI, and a sample edited in one place only
// fails here.
const repositoryRoot = new URL('../../../', import.meta.url);
const examplesDirectory = new URL('./readme-examples/', import.meta.url);

/** Each README whose samples are checked, with the prefix of the example files that hold them. */
const readmes = [
  { path: 'README.md', prefix: 'root-' },
  { path: 'packages/core/README.md', prefix: 'core-' },
  { path: 'packages/k8s-client-adapter/README.md', prefix: 'adapter-' },
  { path: 'packages/testing/README.md', prefix: 'testing-' },
  { path: 'packages/metrics/README.md', prefix: 'opentelemetry-' },
] as const;

const exampleFiles = readdirSync(examplesDirectory)
  .filter((name) => name.endsWith('.ts'))
  .map((name) => ({ name, text: readFileSync(new URL(name, examplesDirectory), 'utf8') }));

/** The bodies of the ```ts fences of a Markdown document. */
function typeScriptBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((match) => match[1] ?? '');
}

describe.each(readmes)('$path', ({ path, prefix }) => {
  const markdown = readFileSync(fileURLToPath(new URL(path, repositoryRoot)), 'utf8');
  const blocks = typeScriptBlocks(markdown);
  const files = exampleFiles.filter((file) => file.name.startsWith(prefix));

  it('has TypeScript samples, and example files to check them against', () => {
    expect(blocks.length).toBeGreaterThan(0);
    expect(files.length).toBeGreaterThan(0);
  });

  it.each(blocks.map((block, index) => ({ index: index + 1, block })))(
    'sample $index appears verbatim in a typechecked example file',
    ({ block }) => {
      const holders = files.filter((file) => file.text.includes(block));
      expect(
        holders.map((file) => file.name),
        `not found in ${prefix}*.ts:\n${block}`,
      ).not.toEqual([]);
    },
  );

  it('every example file holds at least one sample (none left over from an old README)', () => {
    const unused = files.filter((file) => !blocks.some((block) => file.text.includes(block)));
    expect(unused.map((file) => file.name)).toEqual([]);
  });
});
