import { nodeFixture } from '../fixtures/node-fixture.js';
import type { ClusterAccess } from './cluster-access.js';

/**
 * Adds `count` Ready worker nodes `sim-node-1` … with distinct internal IPs (10.0.x.y) and /24 pod
 * CIDRs (10.244.0.0/24 onwards, spilling into 10.245… past 256 nodes), spread over three zones.
 */
export function addSimulatedNodes(access: ClusterAccess, count: number): void {
  const now = access.now();
  for (let index = 1; index <= count; index += 1) {
    const name = `sim-node-${index}`;
    if (access.has('nodes', name)) continue;
    const cidr = 244 * 256 + index;
    access.create(
      'nodes',
      nodeFixture({
        name,
        internalIP: `10.0.${index >> 8}.${index & 255}`,
        podCIDR: `10.${cidr >> 8}.${cidr & 255}.0/24`,
        zone: `zone-${'abc'[index % 3]}`,
        now,
      }),
    );
  }
}
