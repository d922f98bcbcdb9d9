import { describe, expect, it } from 'vitest';
import { parseDemoOptions } from './options.js';

describe('parseDemoOptions', () => {
  it('ignores a lone `--`, as `pnpm demo -- --once` passes it', () => {
    expect(parseDemoOptions(['--', '--once'], {}, false).once).toBe(true);
    expect(parseDemoOptions(['--once'], {}, false).once).toBe(true);
  });

  it('defaults to the embedded server, the walkthrough without end, no help', () => {
    expect(parseDemoOptions([], {}, false)).toEqual({
      kubeconfig: undefined,
      context: undefined,
      once: false,
      help: false,
      color: false,
      metricsPort: 0,
      replicas: undefined,
    });
  });

  it('reads --metrics-port and refuses what is no port', () => {
    expect(parseDemoOptions(['--metrics-port', '9464'], {}, false).metricsPort).toBe(9464);
    expect(() => parseDemoOptions(['--metrics-port', 'http'], {}, false)).toThrow(/--metrics-port/);
    expect(() => parseDemoOptions(['--metrics-port', '70000'], {}, false)).toThrow(/--metrics-port/);
  });

  it('reads --replicas, a whole number from 1 to 16', () => {
    expect(parseDemoOptions(['--replicas', '3'], {}, false).replicas).toBe(3);
    expect(() => parseDemoOptions(['--replicas', '0'], {}, false)).toThrow(/--replicas/);
    expect(() => parseDemoOptions(['--replicas', 'x'], {}, false)).toThrow(/--replicas/);
  });

  it('reads --kubeconfig and --context', () => {
    expect(parseDemoOptions(['--kubeconfig', '/tmp/config', '--context', 'prod'], {}, false)).toMatchObject({
      kubeconfig: '/tmp/config',
      context: 'prod',
    });
  });

  it('colours only a terminal, and never with --no-color or NO_COLOR', () => {
    expect(parseDemoOptions([], {}, true).color).toBe(true);
    expect(parseDemoOptions([], {}, false).color).toBe(false);
    expect(parseDemoOptions(['--no-color'], {}, true).color).toBe(false);
    expect(parseDemoOptions([], { NO_COLOR: '1' }, true).color).toBe(false);
  });

  it('refuses unknown flags and stray arguments', () => {
    expect(() => parseDemoOptions(['--onec'], {}, false)).toThrow(/--onec/);
    expect(() => parseDemoOptions(['pods'], {}, false)).toThrow();
  });
});
