import { KubeInformersError } from '@kubeinformers/core';

/** The `KubeConfig` handed to the adapter cannot address a cluster (e.g. its current context names none). */
export class KubeConfigError extends KubeInformersError {
  static readonly code = 'KI_INVALID_KUBECONFIG';
  readonly code = KubeConfigError.code;
  readonly name = 'KubeConfigError';
}
