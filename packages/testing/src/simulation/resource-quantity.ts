const suffixes: Readonly<Record<string, number>> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/**
 * The value of a resource quantity (`100m`, `1.5`, `128Mi`, `1e3`) as a number: CPU in cores, memory in
 * bytes. Unparseable quantities count as 0, so one odd value never blocks scheduling.
 */
export function parseQuantity(quantity: unknown): number {
  if (typeof quantity === 'number') return quantity;
  if (typeof quantity !== 'string') return 0;
  const match = /^([+-]?[0-9.]+(?:[eE][+-]?\d+)?)([a-zA-Z]*)$/.exec(quantity.trim());
  if (match === null) return 0;
  const factor = suffixes[match[2] ?? ''];
  const value = Number(match[1]);
  return factor === undefined || Number.isNaN(value) ? 0 : value * factor;
}
