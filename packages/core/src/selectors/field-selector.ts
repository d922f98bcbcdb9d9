import { SelectorError } from '../errors/selector-error.js';

export interface FieldRequirement {
  /** A field path such as `metadata.name`, `spec.nodeName` or `status.phase`. */
  readonly field: string;
  readonly operator: 'equals' | 'notEquals';
  readonly value: string;
}

/**
 * A parsed field selector: `metadata.name=web-0,spec.nodeName!=node-1` (`=`, `==`, `!=`; AND-ed with
 * commas; `\,`, `\=` and `\\` escape those characters in values). Which fields can be selected on is the
 * server's business; this only parses and matches against a field reader.
 */
export class FieldSelector {
  private constructor(
    readonly requirements: readonly FieldRequirement[],
    private readonly text: string,
  ) {}

  static parse(text: string): FieldSelector {
    return new FieldSelector(parseRequirements(text), text.trim());
  }

  static readonly everything = new FieldSelector([], '');

  get isEmpty(): boolean {
    return this.requirements.length === 0;
  }

  /** `readField` returns the field's value as the API renders it, or `undefined` when absent. */
  matches(readField: (field: string) => string | undefined): boolean {
    return this.requirements.every(({ field, operator, value }) => {
      const actual = readField(field) ?? '';
      return operator === 'equals' ? actual === value : actual !== value;
    });
  }

  toString(): string {
    return this.text;
  }
}

/** Parses the API's field selector syntax; throws `SelectorError` naming the offset of the problem. */
export function parseFieldSelector(text: string): FieldSelector {
  return FieldSelector.parse(text);
}

function parseRequirements(text: string): FieldRequirement[] {
  const requirements: FieldRequirement[] = [];
  if (text.trim() === '') return requirements;
  let start = 0;
  for (const term of splitUnescaped(text, ',')) {
    requirements.push(parseTerm(text, term, start));
    start += term.length + 1;
  }
  return requirements;
}

function parseTerm(selector: string, term: string, at: number): FieldRequirement {
  const match = /^(\s*)([^!=\s]+)\s*(==|!=|=)(.*)$/s.exec(term);
  if (match === null) {
    throw new SelectorError(selector, at, `expected <field>=<value>, <field>==<value> or <field>!=<value>`);
  }
  const [, , field, operator, rawValue] = match as unknown as [string, string, string, string, string];
  const value = unescapeValue(rawValue.trim(), selector, at);
  if (/(?<!\\)[=!]/.test(rawValue.replace(/\\\\/g, ''))) {
    throw new SelectorError(selector, at, `unescaped '=' or '!' in the value of ${JSON.stringify(field)}`);
  }
  return { field, operator: operator === '!=' ? 'notEquals' : 'equals', value };
}

function splitUnescaped(text: string, separator: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index]!;
    if (char === '\\' && index + 1 < text.length) {
      current += char + text[index + 1];
      index += 1;
    } else if (char === separator) {
      parts.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  parts.push(current);
  return parts;
}

function unescapeValue(value: string, selector: string, at: number): string {
  return value.replace(/\\(.?)/g, (_, escaped: string) => {
    if (escaped === '\\' || escaped === ',' || escaped === '=') return escaped;
    throw new SelectorError(
      selector,
      at,
      `invalid escape sequence '\\${escaped}' (only \\\\, \\, and \\= are allowed)`,
    );
  });
}
