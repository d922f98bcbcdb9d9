import type { Json } from './cluster-access.js';

/**
 * Pod IPs per node from the node's `spec.podCIDR` (IPv4), lowest free host address first, released when
 * the pod goes. Addresses already held by stored pods are reserved at start.
 */
export class PodAddressPool {
  private readonly used = new Map<string, Set<number>>();

  reserve(nodeName: string, address: string | undefined): void {
    const value = address === undefined ? undefined : toNumber(address);
    if (value !== undefined) this.usedOn(nodeName).add(value);
  }

  release(nodeName: string, address: string | undefined): void {
    const value = address === undefined ? undefined : toNumber(address);
    if (value !== undefined) this.used.get(nodeName)?.delete(value);
  }

  /** The next free address of the node's pod CIDR, or `undefined` when it has none left. */
  allocate(node: Json): string | undefined {
    const cidr: string | undefined = node.spec?.podCIDR;
    const match = cidr === undefined ? null : /^(\d+\.\d+\.\d+\.\d+)\/(\d+)$/.exec(cidr);
    if (match === null) return undefined;
    const base = toNumber(match[1]!)!;
    const size = 2 ** (32 - Number(match[2]));
    const used = this.usedOn(node.metadata.name);
    // .0 is the network, .1 the node's bridge: pods start at .2, like most CNI plugins.
    for (let offset = 2; offset < size - 1; offset += 1) {
      if (!used.has(base + offset)) {
        used.add(base + offset);
        return toText(base + offset);
      }
    }
    return undefined;
  }

  private usedOn(nodeName: string): Set<number> {
    let used = this.used.get(nodeName);
    if (used === undefined) {
      used = new Set();
      this.used.set(nodeName, used);
    }
    return used;
  }
}

function toNumber(address: string): number | undefined {
  const parts = address.split('.').map(Number);
  if (parts.length !== 4 || parts.some((part) => !Number.isInteger(part) || part < 0 || part > 255)) {
    return undefined;
  }
  return ((parts[0]! << 24) >>> 0) + (parts[1]! << 16) + (parts[2]! << 8) + parts[3]!;
}

function toText(value: number): string {
  return [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join('.');
}
