/**
 * The API server feature gates the fake server implements, by their upstream names
 * (`--feature-gates ShardedListAndWatch=false`). All on by default: the fake serves every feature it has;
 * turn one off to test a client against a server without it.
 */
export interface FeatureGates {
  /**
   * Kubernetes 1.36+ (alpha, KEP-5866): `shardSelector` on lists, watches and deletecollection, and the
   * `metadata.shardInfo` echo on lists. Off, the parameter is ignored, as servers without the gate do.
   */
  ShardedListAndWatch: boolean;
}

export const defaultFeatureGates: Readonly<FeatureGates> = Object.freeze({ ShardedListAndWatch: true });

/** Parses kube-apiserver's `--feature-gates` value: `Name=true,Other=false`. Unknown gates are refused. */
export function parseFeatureGates(text: string): Partial<FeatureGates> {
  const gates: Partial<FeatureGates> = {};
  for (const part of text.split(',')) {
    if (part.trim() === '') continue;
    const [name = '', value = ''] = part.split('=').map((piece) => piece.trim());
    if (!(name in defaultFeatureGates)) {
      throw new Error(
        `unrecognized feature gate: ${name} (known: ${Object.keys(defaultFeatureGates).join(', ')})`,
      );
    }
    if (value !== 'true' && value !== 'false')
      throw new Error(`invalid value of ${name}: ${value}, must be true or false`);
    gates[name as keyof FeatureGates] = value === 'true';
  }
  return gates;
}
