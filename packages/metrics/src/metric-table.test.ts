import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { metricDescriptions } from './metric-names.js';

/** The rows of the README's metrics table: name, type, unit and labels, as the table shows them. */
function readmeMetricTable(): { name: string; type: string; unit: string; labels: string[] }[] {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const section = readme.split(/^## Metrics$/m)[1]?.split(/^## /m)[0] ?? '';
  const rows = section
    .split('\n')
    .filter((line) => line.startsWith('|'))
    .map((line) =>
      line
        .slice(1, -1)
        .split('|')
        .map((cell) => cell.trim()),
    );
  const [header, separator, ...body] = rows;
  expect(header?.slice(0, 4)).toEqual(['name', 'type', 'unit', 'labels']);
  expect(separator?.every((cell) => /^-+$/.test(cell))).toBe(true);
  const code = (cell: string | undefined) => /^`([^`]+)`$/.exec(cell ?? '')?.[1];
  return body.map(([name, type = '', unit = '', labels = '']) => ({
    name: code(name) ?? `not a code span: ${name}`,
    type,
    unit,
    labels: labels === '' ? [] : labels.split(',').map((label) => code(label.trim()) ?? label),
  }));
}

it('the README’s metrics table lists metricDescriptions, in order, with their types, units and labels', () => {
  expect(readmeMetricTable()).toEqual(
    metricDescriptions.map(({ name, type, unit, labels }) => ({ name, type, unit, labels: [...labels] })),
  );
});
