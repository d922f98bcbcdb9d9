/** The list-level metadata a reflector needs before the page is parsed, to request the next one. */
export interface ListMetadataPeek {
  readonly resourceVersion: string | undefined;
  readonly continueToken: string | undefined;
}

const keyPattern = /\s*"((?:[^"\\]|\\.)*)"\s*:\s*/y;
const separatorPattern = /\s*([,}])/y;

/**
 * Reads the list's `metadata` from the start of a list body, without parsing the items: the API server
 * writes `kind`, `apiVersion` and `metadata` before `items`, so the `continue` token is known from the
 * first chunk, and the next page can be requested while this one is still arriving.
 *
 * Returns `'incomplete'` when `head` ends before the metadata does, and `undefined` when the body is not
 * laid out that way (e.g. `items` first): the caller then takes the metadata from the parsed page.
 * Cost: proportional to the bytes before the end of `metadata`, not to the page.
 */
export function peekListMetadata(head: string): ListMetadataPeek | 'incomplete' | undefined {
  let position = skipWhitespace(head, 0);
  if (position === head.length) return 'incomplete';
  if (head[position] !== '{') return undefined;
  position++;
  for (;;) {
    keyPattern.lastIndex = position;
    const key = keyPattern.exec(head);
    if (key === null) return isPrefixOfKey(head, position) ? 'incomplete' : undefined;
    const valueStart = keyPattern.lastIndex;
    const name = key[1];
    if (name === 'items') return undefined;
    const valueEnd = endOfValue(head, valueStart);
    if (valueEnd === -1) return 'incomplete';
    if (name === 'metadata') return metadataFrom(head.slice(valueStart, valueEnd));
    separatorPattern.lastIndex = valueEnd;
    const separator = separatorPattern.exec(head);
    if (separator === null) return skipWhitespace(head, valueEnd) === head.length ? 'incomplete' : undefined;
    if (separator[1] === '}') return undefined;
    position = separatorPattern.lastIndex;
  }
}

function metadataFrom(text: string): ListMetadataPeek | undefined {
  let metadata: unknown;
  try {
    metadata = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof metadata !== 'object' || metadata === null) return undefined;
  const { resourceVersion, continue: continueToken } = metadata as Record<string, unknown>;
  return {
    resourceVersion:
      typeof resourceVersion === 'string' && resourceVersion !== '' ? resourceVersion : undefined,
    continueToken: typeof continueToken === 'string' && continueToken !== '' ? continueToken : undefined,
  };
}

/** The index after the JSON value starting at `start` (whitespace already skipped), or -1 if cut off. */
function endOfValue(text: string, start: number): number {
  const first = text[start];
  if (first === undefined) return -1;
  if (first !== '{' && first !== '[' && first !== '"') {
    // A number or literal ends at the next delimiter; at the end of `text` it may continue.
    for (let index = start; index < text.length; index++) {
      const character = text[index];
      if (character === ',' || character === '}' || character === ']' || /\s/.test(character ?? ''))
        return index;
    }
    return -1;
  }
  let depth = 0;
  let inString = false;
  for (let index = start; index < text.length; index++) {
    const character = text[index];
    if (inString) {
      if (character === '\\') index++;
      else if (character === '"') {
        inString = false;
        if (depth === 0) return index + 1;
      }
    } else if (character === '"') inString = true;
    else if (character === '{' || character === '[') depth++;
    else if (character === '}' || character === ']') {
      depth--;
      if (depth === 0) return index + 1;
    }
  }
  return -1;
}

function skipWhitespace(text: string, position: number): number {
  let index = position;
  while (index < text.length && /\s/.test(text[index] ?? '')) index++;
  return index;
}

/** Whether `text` from `position` could still become `"key":` when more arrives. */
function isPrefixOfKey(text: string, position: number): boolean {
  const rest = text.slice(skipWhitespace(text, position));
  return rest === '' || (rest.startsWith('"') && /^"(?:[^"\\]|\\.)*(?:"\s*)?\\?$/.test(rest));
}
