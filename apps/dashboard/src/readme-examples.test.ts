import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// The browser READMEs' samples live, verbatim, in typechecked files under readme-examples/ (`pnpm
// typecheck` compiles this app's src), so a sample that stops compiling fails CI, and a sample edited in
// one place only fails here. The other READMEs are checked the same way by apps/demo.
const repositoryRoot = new URL('../../../', import.meta.url);
const examplesDirectory = new URL('./readme-examples/', import.meta.url);
const readmes = [
  { path: 'README.md', prefix: 'root-' },
  { path: 'packages/react/README.md', prefix: 'react-' },
  { path: 'packages/web/README.md', prefix: 'web-' },
] as const;

const exampleFiles = readdirSync(examplesDirectory).map((name) => ({
  name,
  text: readFileSync(new URL(name, examplesDirectory), 'utf8'),
}));

/** The bodies of the ```tsx fences, and of the ```ts fences that use a browser package. */
function browserBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```tsx?\n([\s\S]*?)^```$/gm)]
    .filter((match) => match[0].startsWith('```tsx') || /@kubeinformers\/(web|react)/.test(match[1] ?? ''))
    .map((match) => match[1] ?? '');
}

describe.each(readmes)('$path', ({ path, prefix }) => {
  const blocks = browserBlocks(readFileSync(new URL(path, repositoryRoot), 'utf8'));
  const files = exampleFiles.filter((file) => file.name.startsWith(prefix));

  it('has browser samples, each verbatim in an example file, and no example file left over', () => {
    expect(blocks.length).toBeGreaterThan(0);
    for (const block of blocks) {
      expect(
        files.filter((file) => file.text.includes(block)).map((file) => file.name),
        block,
      ).not.toEqual([]);
    }
    expect(
      files.filter((file) => !blocks.some((block) => file.text.includes(block))).map((file) => file.name),
    ).toEqual([]);
  });
});
