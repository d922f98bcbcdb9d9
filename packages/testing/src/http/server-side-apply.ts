import { ApiStatusError, badRequest } from '../storage/api-status-error.js';
import { storageKey } from '../storage/stored-revision.js';
import { type ObjectHandler, writeOptionsOf } from './object-request.js';
import { parseJson, readBody } from './request-body.js';

/**
 * Server-side apply, approximated: the applied configuration creates the object when it is missing and
 * is otherwise merged into it like a strategic merge patch. Field ownership, conflicts (`force`) and
 * removal of fields a manager stopped applying are not modelled. The body must be JSON (which is YAML;
 * kubectl and client-go send JSON).
 */
export const serverSideApply: ObjectHandler = async (request, objectStore) => {
  const { resource, namespace, name = '' } = request.route;
  if ((request.query.get('fieldManager') ?? '') === '') {
    throw new ApiStatusError({
      code: 422,
      reason: 'Invalid',
      message:
        'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
      details: {
        causes: [
          {
            reason: 'FieldValueRequired',
            message: 'Required value: is required for apply patch',
            field: 'fieldManager',
          },
        ],
      },
    });
  }
  const configuration = parseJson(await readBody(request.message)) as { metadata?: { name?: string } } | null;
  if (configuration?.metadata?.name !== undefined && configuration.metadata.name !== name) {
    throw badRequest(
      `the name of the object (${configuration.metadata.name}) does not match the name on the URL (${name})`,
    );
  }
  const options = writeOptionsOf(request);
  const existing = objectStore.table(resource).objects.get(storageKey(resource, namespace, name));
  if (existing === undefined) {
    const object = { ...configuration, metadata: { ...configuration?.metadata, name } };
    return {
      type: 'object',
      statusCode: 201,
      revision: objectStore.create(resource, namespace, object, options),
    };
  }
  const revision = objectStore.patch(resource, namespace, name, 'strategic', configuration, options);
  return { type: 'object', statusCode: 200, revision };
};
