import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PrometheusExporter } from '@opentelemetry/exporter-prometheus';

export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** Scrapes `exporter` over HTTP, as Prometheus does, and returns the exposition text. */
export async function scrape(exporter: PrometheusExporter): Promise<string> {
  const http = createServer((request, response) => exporter.getMetricsRequestHandler(request, response));
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  try {
    const response = await fetch(`http://127.0.0.1:${(http.address() as AddressInfo).port}/metrics`);
    if (response.status !== 200) throw new Error(`scrape answered ${response.status}`);
    return await response.text();
  } finally {
    http.closeAllConnections();
    await new Promise<void>((resolve) => http.close(() => resolve()));
  }
}

/** Parses the Prometheus text exposition (0.0.4): `# TYPE` lines and samples; throws on a malformed line. */
export function parseExposition(text: string): { types: Map<string, string>; samples: Sample[] } {
  const types = new Map<string, string>();
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const type = /^# TYPE (\S+) (counter|gauge|histogram|summary|untyped)$/.exec(line);
    if (type !== null) {
      types.set(type[1] ?? '', type[2] ?? '');
      continue;
    }
    if (line.startsWith('#')) continue;
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)(?: \d+)?$/.exec(line);
    if (sample === null) throw new Error(`malformed exposition line: ${line}`);
    const labels: Record<string, string> = {};
    for (const match of (sample[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
      labels[match[1] ?? ''] = (match[2] ?? '').replace(/\\(.)/g, (_, character: string) =>
        character === 'n' ? '\n' : character,
      );
    }
    const value = Number(sample[3] === '+Inf' ? Number.POSITIVE_INFINITY : sample[3]);
    if (Number.isNaN(value)) throw new Error(`malformed sample value: ${line}`);
    samples.push({ name: sample[1] ?? '', labels, value });
  }
  return { types, samples };
}
