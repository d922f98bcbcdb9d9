/** The Markdown tables of the report: rows of ours, client-node and a floor, with ratios checked against targets. */

/** A ratio and the bound it must respect. */
export interface Check {
  readonly value: number;
  readonly bound: number;
  readonly direction: 'at most' | 'at least';
}

export interface Row {
  readonly measure: string;
  readonly format: (value: number) => string;
  readonly ours: number;
  readonly clientNode: number;
  readonly floor: number;
  /** ours ÷ floor, with its target when there is one. */
  readonly oursOverFloor?: number | Check;
  /** client-node ÷ ours, with its target when there is one. */
  readonly clientNodeOverOurs?: number | Check;
}

export const kilobytes = (value: number) => `${(value / 1024).toFixed(2)} KB`;
export const milliseconds = (value: number) => `${value.toFixed(0)} ms`;
export const microseconds = (value: number) => `${value.toFixed(2)} µs`;
export const nanoseconds = (value: number) => `${value.toFixed(0)} ns`;
export const plain = (value: number) => value.toFixed(2);

function cell(value: number, format: (value: number) => string): string {
  return Number.isFinite(value) ? format(value) : '—';
}

function checkCell(check: number | Check | undefined): [string, string] {
  if (check === undefined) return ['—', '—'];
  if (typeof check === 'number') return [Number.isFinite(check) ? `${check.toFixed(2)}×` : '—', '—'];
  if (!Number.isFinite(check.value))
    return ['—', `${check.direction === 'at most' ? '≤' : '≥'} ${check.bound}×`];
  const met = check.direction === 'at most' ? check.value <= check.bound : check.value >= check.bound;
  return [
    `${check.value.toFixed(2)}×`,
    `${check.direction === 'at most' ? '≤' : '≥'} ${check.bound}× ${met ? '✅' : '❌'}`,
  ];
}

export function table(title: string, rows: readonly Row[], notes: readonly string[]): string {
  const lines = [
    `### ${title}`,
    '',
    '| measure | kubeinformers | client-node | floor | ours ÷ floor | target | client-node ÷ ours | target |',
    '| --- | ---: | ---: | ---: | ---: | --- | ---: | --- |',
  ];
  for (const row of rows) {
    const [vsFloor, floorTarget] = checkCell(row.oursOverFloor);
    const [vsClientNode, clientNodeTarget] = checkCell(row.clientNodeOverOurs);
    lines.push(
      `| ${row.measure} | ${cell(row.ours, row.format)} | ${cell(row.clientNode, row.format)} | ${cell(row.floor, row.format)} | ${vsFloor} | ${floorTarget} | ${vsClientNode} | ${clientNodeTarget} |`,
    );
  }
  return [...lines, '', ...notes.map((note) => `- ${note}`), ''].join('\n');
}

export const atMost = (value: number, bound: number): Check => ({ value, bound, direction: 'at most' });
export const atLeast = (value: number, bound: number): Check => ({ value, bound, direction: 'at least' });

/** A row of ours against a floor of our own (no client-node counterpart), in microseconds. */
export function againstFloor(measure: string, ours: number, floor: number, bound?: number): Row {
  return {
    measure,
    format: microseconds,
    ours,
    clientNode: Number.NaN,
    floor,
    oursOverFloor: bound === undefined ? ours / floor : { value: ours / floor, bound, direction: 'at most' },
  };
}
