import { SelectorError } from '../errors/selector-error.js';

export type LabelOperator = 'exists' | 'doesNotExist' | 'equals' | 'notEquals' | 'in' | 'notIn' | 'gt' | 'lt';

export interface LabelRequirement {
  readonly key: string;
  readonly operator: LabelOperator;
  /** Empty for `exists`/`doesNotExist`; one value for the equality and comparison operators. */
  readonly values: readonly string[];
}

export type Labels = { readonly [key: string]: string } | undefined;

/**
 * A parsed label selector in the API's text syntax: `app=web`, `tier==db`, `env!=prod`,
 * `zone in (a, b)`, `zone notin (c)`, `canary`, `!canary`, `replicas>2`; requirements are AND-ed with
 * commas. Parse once (`parseLabelSelector`), match many times. The empty selector matches everything.
 *
 * Semantics follow the API server: `!=` and `notin` also match objects that lack the key.
 */
export class LabelSelector {
  private constructor(
    readonly requirements: readonly LabelRequirement[],
    private readonly text: string,
  ) {}

  static parse(text: string): LabelSelector {
    return new LabelSelector(new LabelSelectorParser(text).parse(), text.trim());
  }

  static readonly everything = new LabelSelector([], '');

  get isEmpty(): boolean {
    return this.requirements.length === 0;
  }

  matches(labels: Labels): boolean {
    return this.requirements.every((requirement) => requirementMatches(requirement, labels));
  }

  /** The selector as given (trimmed), suitable for a `labelSelector` query parameter. */
  toString(): string {
    return this.text;
  }
}

/** Parses the API's label selector syntax; throws `SelectorError` naming the offset of the problem. */
export function parseLabelSelector(text: string): LabelSelector {
  return LabelSelector.parse(text);
}

function requirementMatches({ key, operator, values }: LabelRequirement, labels: Labels): boolean {
  const has = labels !== undefined && Object.hasOwn(labels, key);
  const value = has ? labels[key] : undefined;
  switch (operator) {
    case 'exists':
      return has;
    case 'doesNotExist':
      return !has;
    case 'equals':
    case 'in':
      return value !== undefined && values.includes(value);
    case 'notEquals':
    case 'notIn':
      return value === undefined || !values.includes(value);
    case 'gt':
    case 'lt': {
      if (value === undefined || !/^-?\d+$/.test(value)) return false;
      const actual = Number(value);
      const bound = Number(values[0]);
      return operator === 'gt' ? actual > bound : actual < bound;
    }
  }
}

const namePart = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const dnsSubdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * Why `key` is not a valid qualified label or annotation key (`[prefix/]name`), or `undefined` when it
 * is. For code that writes labels (a controller propagating them, say) to reject a bad key before the API
 * server does; selector parsing applies the same rule.
 * @see apimachinery `validation.IsQualifiedName`
 */
export function labelKeyProblem(key: string): string | undefined {
  const slash = key.indexOf('/');
  const prefix = slash === -1 ? undefined : key.slice(0, slash);
  const name = slash === -1 ? key : key.slice(slash + 1);
  if (prefix !== undefined && (prefix.length === 0 || prefix.length > 253 || !dnsSubdomain.test(prefix))) {
    return `label key prefix ${JSON.stringify(prefix)} must be a DNS subdomain of at most 253 characters`;
  }
  if (name.length === 0 || name.length > 63 || !namePart.test(name)) {
    return `label key ${JSON.stringify(key)} must be at most 63 alphanumeric characters, '-', '_' or '.', starting and ending alphanumeric, with an optional DNS-subdomain prefix and '/'`;
  }
  return undefined;
}

/**
 * Why `value` is not a valid label value, or `undefined` when it is. The empty value is valid.
 * @see apimachinery `validation.IsValidLabelValue`
 */
export function labelValueProblem(value: string): string | undefined {
  if (value === '') return undefined;
  if (value.length > 63 || !namePart.test(value)) {
    return `label value ${JSON.stringify(value)} must be at most 63 alphanumeric characters, '-', '_' or '.', starting and ending alphanumeric`;
  }
  return undefined;
}

type Token =
  | { readonly kind: 'word'; readonly text: string; readonly at: number }
  | {
      readonly kind: 'symbol';
      readonly text: '!' | '=' | '==' | '!=' | '(' | ')' | ',' | '>' | '<';
      readonly at: number;
    }
  | { readonly kind: 'end'; readonly at: number };

const symbols = ['!=', '==', '!', '=', '(', ')', ',', '>', '<'] as const;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  while (at < text.length) {
    const char = text[at]!;
    if (/\s/.test(char)) {
      at += 1;
      continue;
    }
    const symbol = symbols.find((candidate) => text.startsWith(candidate, at));
    if (symbol !== undefined) {
      tokens.push({ kind: 'symbol', text: symbol, at });
      at += symbol.length;
      continue;
    }
    const start = at;
    while (at < text.length && !/\s/.test(text[at]!) && !'!=(),<>'.includes(text[at]!)) at += 1;
    tokens.push({ kind: 'word', text: text.slice(start, at), at: start });
  }
  tokens.push({ kind: 'end', at: text.length });
  return tokens;
}

class LabelSelectorParser {
  private readonly tokens: Token[];
  private index = 0;

  constructor(private readonly text: string) {
    this.tokens = tokenize(text);
  }

  parse(): LabelRequirement[] {
    const requirements: LabelRequirement[] = [];
    if (this.peek().kind === 'end') return requirements;
    for (;;) {
      requirements.push(this.requirement());
      const next = this.take();
      if (next.kind === 'end') return requirements;
      if (next.kind !== 'symbol' || next.text !== ',') this.fail(next, `expected ',' or the end`);
    }
  }

  private requirement(): LabelRequirement {
    const first = this.take();
    if (first.kind === 'symbol' && first.text === '!') {
      return { key: this.key(this.take()), operator: 'doesNotExist', values: [] };
    }
    const key = this.key(first);
    const operator = this.peek();
    if (operator.kind === 'end' || (operator.kind === 'symbol' && operator.text === ',')) {
      return { key, operator: 'exists', values: [] };
    }
    this.take();
    if (operator.kind === 'word' && (operator.text === 'in' || operator.text === 'notin')) {
      return { key, operator: operator.text === 'in' ? 'in' : 'notIn', values: this.valueSet() };
    }
    if (operator.kind === 'symbol') {
      switch (operator.text) {
        case '=':
        case '==':
          return { key, operator: 'equals', values: [this.singleValue()] };
        case '!=':
          return { key, operator: 'notEquals', values: [this.singleValue()] };
        case '>':
        case '<':
          return { key, operator: operator.text === '>' ? 'gt' : 'lt', values: [this.integer()] };
      }
    }
    return this.fail(
      operator,
      `expected an operator (=, ==, !=, in, notin, >, <) after key ${JSON.stringify(key)}`,
    );
  }

  private key(token: Token): string {
    if (token.kind !== 'word') return this.fail(token, 'expected a label key');
    const problem = labelKeyProblem(token.text);
    return problem === undefined ? token.text : this.fail(token, problem);
  }

  /** The value after `=`, `==` or `!=`; it may be empty (`tier=` selects the empty value). */
  private singleValue(): string {
    const token = this.peek();
    if (token.kind !== 'word') return '';
    this.take();
    return this.value(token);
  }

  private value(token: Token & { kind: 'word' }): string {
    const problem = labelValueProblem(token.text);
    return problem === undefined ? token.text : this.fail(token, problem);
  }

  private integer(): string {
    const token = this.take();
    if (token.kind !== 'word' || !/^-?\d+$/.test(token.text)) return this.fail(token, 'expected an integer');
    return token.text;
  }

  private valueSet(): string[] {
    const open = this.take();
    if (open.kind !== 'symbol' || open.text !== '(')
      return this.fail(open, `expected '(' to open a value set`);
    const values: string[] = [];
    for (;;) {
      const token = this.take();
      if (token.kind === 'symbol' && token.text === ')' && values.length === 0) break;
      if (token.kind !== 'word') return this.fail(token, `expected a value`);
      values.push(this.value(token));
      const after = this.take();
      if (after.kind === 'symbol' && after.text === ')') break;
      if (after.kind !== 'symbol' || after.text !== ',') return this.fail(after, `expected ',' or ')'`);
    }
    if (values.length === 0) return this.fail(open, 'a value set for in/notin cannot be empty');
    return values;
  }

  private peek(): Token {
    return this.tokens[this.index]!;
  }

  private take(): Token {
    const token = this.tokens[this.index]!;
    if (token.kind !== 'end') this.index += 1;
    return token;
  }

  private fail(token: Token, reason: string): never {
    throw new SelectorError(this.text, token.at, reason);
  }
}
