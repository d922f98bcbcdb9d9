/**
 * The in-memory API's answers to list and watch requests the API server refuses, with the API server's
 * codes and wording (the fake API server of @kubeinformers/testing answers the same; the conformance
 * suite in tests/conformance holds the two together).
 */

/** A `Status` failure body; `metadata` carries e.g. the fresh token of an expired continue. */
export function statusBody(code: number, reason: string, message: string, metadata: object = {}): object {
  return { kind: 'Status', apiVersion: 'v1', metadata, status: 'Failure', message, reason, code };
}

/** A boolean query parameter as the API server reads it: present and neither `0` nor `false` (any case). */
export function isTrue(value: string | undefined): boolean {
  return value !== undefined && value !== '0' && value.toLowerCase() !== 'false';
}

/** The refusal (code and Status body) of a list or watch request's options, or `undefined` when valid. */
export function requestRefusal(
  query: Readonly<Record<string, string | undefined>>,
  watch: boolean,
): { readonly code: number; readonly body: object } | undefined {
  const resourceVersion = query.resourceVersion ?? '';
  const match = query.resourceVersionMatch ?? '';
  const continued = (query.continue ?? '') !== '';
  if (watch) {
    if (continued) return invalid('continue', 'Forbidden: continue is not allowed with watch');
    if (isTrue(query.sendInitialEvents)) {
      // A streaming list must be able to end with the initial-events-end bookmark.
      if (match !== 'NotOlderThan') {
        const message = 'Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan';
        return invalid('resourceVersionMatch', message);
      }
      if (!isTrue(query.allowWatchBookmarks))
        return invalid(
          'allowWatchBookmarks',
          'Forbidden: sendInitialEvents requires allowWatchBookmarks=true',
        );
    } else if (match !== '') {
      const message =
        'Forbidden: resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided';
      return invalid('resourceVersionMatch', message);
    }
    return undefined;
  }
  if (continued && resourceVersion !== '' && resourceVersion !== '0') {
    const message = 'specifying resource version is not allowed when using continue';
    return { code: 400, body: statusBody(400, 'BadRequest', message) };
  }
  if (match === '') return undefined;
  if (match !== 'Exact' && match !== 'NotOlderThan') {
    const message = `Unsupported value: "${match}": supported values: "Exact", "NotOlderThan"`;
    return invalid('resourceVersionMatch', message);
  }
  if (resourceVersion === '') {
    const message = 'Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided';
    return invalid('resourceVersionMatch', message);
  }
  if (match === 'Exact' && resourceVersion === '0') {
    const message = 'Forbidden: resourceVersionMatch "exact" is forbidden for resourceVersion "0"';
    return invalid('resourceVersionMatch', message);
  }
  return undefined;
}

function invalid(field: string, message: string): { readonly code: number; readonly body: object } {
  const body = {
    ...statusBody(422, 'Invalid', `ListOptions.meta.k8s.io "" is invalid: ${field}: ${message}`),
    details: {
      kind: 'ListOptions',
      group: 'meta.k8s.io',
      causes: [{ reason: 'FieldValueInvalid', message, field }],
    },
  };
  return { code: 422, body };
}
