/**
 * Just enough of a CEL parser for shard selectors. The API server parses `shardSelector` with cel-go and
 * then walks the tree; parsing the same general syntax here (operators, calls, member access, literals with
 * their escapes) lets the walk in parse-shard-selector.ts accept and refuse exactly what the server does,
 * with its wording, instead of whatever a narrower grammar happens to trip on.
 */

/** A CEL expression node; `kind` numbers follow cel-go's `ast.ExprKind`, which the server prints in errors. */
export type CelExpression =
  | { readonly kind: 'call'; readonly name: string; readonly args: readonly CelExpression[] }
  | { readonly kind: 'ident'; readonly name: string }
  | { readonly kind: 'select'; readonly operand: CelExpression; readonly field: string }
  | { readonly kind: 'literal'; readonly value: string | null; readonly goType: string }
  | { readonly kind: 'list' };

/** cel-go's `ast.ExprKind` numbers (Unspecified 0, Call 1, Comprehension 2, Ident 3, List 4, Literal 5, …, Select 7). */
export function celKindNumber(expression: CelExpression): number {
  switch (expression.kind) {
    case 'call':
      return 1;
    case 'ident':
      return 3;
    case 'list':
      return 4;
    case 'literal':
      return 5;
    case 'select':
      return 7;
  }
}

/** A syntax error; the message is what follows cel-go's "Syntax error: ". */
export class CelSyntaxError extends Error {}

// cel-go's default parser recursion limit.
const maximumDepth = 250;

const binaryLevels: readonly (readonly string[])[] = [
  ['||'],
  ['&&'],
  ['==', '!=', '<', '<=', '>', '>=', 'in'],
  ['+', '-'],
  ['*', '/', '%'],
];

const functionNames: Readonly<Record<string, string>> = {
  '||': '_||_',
  '&&': '_&&_',
  '==': '_==_',
  '!=': '_!=_',
  '<': '_<_',
  '<=': '_<=_',
  '>': '_>_',
  '>=': '_>=_',
  in: '@in',
  '+': '_+_',
  '-': '_-_',
  '*': '_*_',
  '/': '_/_',
  '%': '_%_',
};

type Token =
  | { readonly type: 'identifier'; readonly text: string }
  | { readonly type: 'literal'; readonly value: string | null; readonly goType: string }
  | { readonly type: 'punctuation'; readonly text: string }
  | { readonly type: 'end' };

/** Parses `text` as a CEL expression; throws {@link CelSyntaxError}. */
export function parseCelExpression(text: string): CelExpression {
  const tokens = tokenize(text);
  let position = 0;
  const peek = (): Token => tokens[position] as Token;
  const isPunctuation = (value: string): boolean => {
    const token = peek();
    return (token.type === 'punctuation' || token.type === 'identifier') && token.text === value;
  };
  const expect = (value: string): void => {
    if (!isPunctuation(value))
      throw new CelSyntaxError(`mismatched input ${describe(peek())} expecting '${value}'`);
    position++;
  };

  const parseExpression = (depth: number): CelExpression => {
    if (depth > maximumDepth)
      throw new CelSyntaxError(`expression recursion limit exceeded: ${maximumDepth}`);
    const condition = parseBinary(0, depth);
    if (!isPunctuation('?')) return condition;
    position++;
    const whenTrue = parseBinary(0, depth);
    expect(':');
    const whenFalse = parseExpression(depth + 1);
    return { kind: 'call', name: '_?_:_', args: [condition, whenTrue, whenFalse] };
  };

  const parseBinary = (level: number, depth: number): CelExpression => {
    const operators = binaryLevels[level];
    if (operators === undefined) return parseUnary(depth);
    let left = parseBinary(level + 1, depth);
    for (;;) {
      const token = peek();
      const operator = token.type === 'punctuation' || token.type === 'identifier' ? token.text : undefined;
      if (operator === undefined || !operators.includes(operator)) return left;
      position++;
      const right = parseBinary(level + 1, depth + 1);
      left = { kind: 'call', name: functionNames[operator] as string, args: [left, right] };
    }
  };

  const parseUnary = (depth: number): CelExpression => {
    if (isPunctuation('!') || isPunctuation('-')) {
      const operator = (peek() as { text: string }).text;
      position++;
      return { kind: 'call', name: `${operator}_`, args: [parseUnary(depth + 1)] };
    }
    return parseMember(depth);
  };

  const parseArguments = (close: string, depth: number): CelExpression[] => {
    const args: CelExpression[] = [];
    if (isPunctuation(close)) {
      position++;
      return args;
    }
    for (;;) {
      args.push(parseExpression(depth + 1));
      if (isPunctuation(',')) {
        position++;
        continue;
      }
      expect(close);
      return args;
    }
  };

  const parseMember = (depth: number): CelExpression => {
    let expression = parsePrimary(depth);
    for (;;) {
      if (isPunctuation('.')) {
        position++;
        const field = peek();
        if (field.type !== 'identifier')
          throw new CelSyntaxError(`no viable alternative at input '.${describe(field)}'`);
        position++;
        if (isPunctuation('(')) {
          position++;
          // A receiver-style call: the target counts as an argument only for cel-go's member form, which the
          // shard selector walk refuses by its argument count anyway.
          expression = { kind: 'call', name: field.text, args: parseArguments(')', depth) };
        } else {
          expression = { kind: 'select', operand: expression, field: field.text };
        }
      } else if (isPunctuation('[')) {
        position++;
        const index = parseExpression(depth + 1);
        expect(']');
        expression = { kind: 'call', name: '_[_]', args: [expression, index] };
      } else {
        return expression;
      }
    }
  };

  const parsePrimary = (depth: number): CelExpression => {
    const token = peek();
    if (token.type === 'literal') {
      position++;
      return { kind: 'literal', value: token.value, goType: token.goType };
    }
    if (token.type === 'identifier' && !reservedWords.has(token.text)) {
      position++;
      if (isPunctuation('(')) {
        position++;
        return { kind: 'call', name: token.text, args: parseArguments(')', depth) };
      }
      return { kind: 'ident', name: token.text };
    }
    if (isPunctuation('(')) {
      position++;
      const inner = parseExpression(depth + 1);
      expect(')');
      return inner;
    }
    if (isPunctuation('[')) {
      position++;
      parseArguments(']', depth);
      return { kind: 'list' };
    }
    throw new CelSyntaxError(`mismatched input ${describe(token)}`);
  };

  const expression = parseExpression(0);
  if (peek().type !== 'end') throw new CelSyntaxError(`extraneous input ${describe(peek())} expecting <EOF>`);
  return expression;
}

const reservedWords = new Set(['in', 'as', 'break', 'const', 'continue', 'else', 'for', 'function', 'if']);

function describe(token: Token): string {
  switch (token.type) {
    case 'end':
      return '<EOF>';
    case 'literal':
      return `'${token.value ?? 'null'}'`;
    default:
      return `'${token.text}'`;
  }
}

const punctuations = [
  '||',
  '&&',
  '==',
  '!=',
  '<=',
  '>=',
  '<',
  '>',
  '!',
  '-',
  '+',
  '*',
  '/',
  '%',
  '(',
  ')',
  ',',
  '.',
  '[',
  ']',
  '?',
  ':',
];

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  while (index < text.length) {
    const character = text[index] as string;
    if (' \t\n\r\f'.includes(character)) {
      index++;
      continue;
    }
    if (text.startsWith('//', index)) {
      const newline = text.indexOf('\n', index);
      index = newline === -1 ? text.length : newline + 1;
      continue;
    }
    const stringPrefix = /^([rR]?[bB]?|[bB][rR])(?=['"])/.exec(text.slice(index, index + 3));
    if (stringPrefix !== null) {
      const prefix = stringPrefix[0].toLowerCase();
      const read = readString(text, index + prefix.length, prefix.includes('r'));
      tokens.push({
        type: 'literal',
        value: read.value,
        goType: prefix.includes('b') ? '[]uint8' : 'string',
      });
      index = read.next;
      continue;
    }
    const identifier = /^[_a-zA-Z][_a-zA-Z0-9]*/.exec(text.slice(index));
    if (identifier !== null) {
      const word = identifier[0];
      if (word === 'true' || word === 'false') tokens.push({ type: 'literal', value: word, goType: 'bool' });
      else if (word === 'null') tokens.push({ type: 'literal', value: null, goType: 'structpb.NullValue' });
      else tokens.push({ type: 'identifier', text: word });
      index += word.length;
      continue;
    }
    const number = /^(0[xX][0-9a-fA-F]+[uU]?|(\d+\.\d*|\.\d+|\d+)([eE][+-]?\d+)?[uU]?)/.exec(
      text.slice(index),
    );
    if (number !== null) {
      const word = number[0];
      const goType = /[uU]$/.test(word)
        ? 'uint64'
        : /^0[xX]/.test(word) || !/[.eE]/.test(word)
          ? 'int64'
          : 'float64';
      if (goType === 'float64' && /[uU]$/.test(word))
        throw new CelSyntaxError(`token recognition error at: '${word}'`);
      tokens.push({ type: 'literal', value: word, goType });
      index += word.length;
      continue;
    }
    const punctuation = punctuations.find((candidate) => text.startsWith(candidate, index));
    if (punctuation === undefined) throw new CelSyntaxError(`token recognition error at: '${character}'`);
    tokens.push({ type: 'punctuation', text: punctuation });
    index += punctuation.length;
  }
  tokens.push({ type: 'end' });
  return tokens;
}

function readString(text: string, start: number, raw: boolean): { value: string; next: number } {
  const quote = text.startsWith(text[start]?.repeat(3) ?? '', start)
    ? (text[start] as string).repeat(3)
    : (text[start] as string);
  let index = start + quote.length;
  let value = '';
  while (index < text.length) {
    if (text.startsWith(quote, index)) return { value, next: index + quote.length };
    const character = text[index] as string;
    if (quote.length === 1 && (character === '\n' || character === '\r')) break;
    if (character !== '\\' || raw) {
      value += character;
      index++;
      continue;
    }
    const escaped = readEscape(text, index);
    value += escaped.value;
    index = escaped.next;
  }
  throw new CelSyntaxError(`token recognition error at: '${text.slice(start - 1, start + 10)}'`);
}

const simpleEscapes: Readonly<Record<string, string>> = {
  '\\': '\\',
  "'": "'",
  '"': '"',
  '`': '`',
  '?': '?',
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
};

function readEscape(text: string, index: number): { value: string; next: number } {
  const kind = text[index + 1] ?? '';
  const simple = simpleEscapes[kind];
  if (simple !== undefined) return { value: simple, next: index + 2 };
  const digits = kind === 'x' || kind === 'X' ? 2 : kind === 'u' ? 4 : kind === 'U' ? 8 : 0;
  if (digits > 0) {
    const hex = text.slice(index + 2, index + 2 + digits);
    if (hex.length === digits && /^[0-9a-fA-F]+$/.test(hex)) {
      const codePoint = Number.parseInt(hex, 16);
      if (codePoint <= 0x10ffff && (codePoint < 0xd800 || codePoint > 0xdfff)) {
        return { value: String.fromCodePoint(codePoint), next: index + 2 + digits };
      }
    }
  }
  const octal = /^[0-3][0-7][0-7]/.exec(text.slice(index + 1, index + 4));
  if (octal !== null) return { value: String.fromCharCode(Number.parseInt(octal[0], 8)), next: index + 4 };
  throw new CelSyntaxError(`token recognition error at: '${text.slice(index, index + 2)}'`);
}
