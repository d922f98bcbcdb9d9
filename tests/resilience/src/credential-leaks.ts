import { inspect } from 'node:util';

/** Every way an error may end up in a log: its string, stack, JSON and `util.inspect` forms. */
function renderings(error: unknown): string[] {
  const found: string[] = [String(error)];
  if (error instanceof Error) found.push(error.message, error.stack ?? '');
  try {
    found.push(JSON.stringify(error) ?? '');
  } catch {
    // Circular structures cannot be logged as JSON either.
  }
  found.push(inspect(error, { depth: 20, showHidden: true, getters: true }));
  return found;
}

/**
 * Where `secrets` (bearer tokens, private keys…) appear in `errors`, rendered every way a log might
 * render them, `cause` chains and `AggregateError` members included; empty when none leaks.
 */
export function credentialLeaks(errors: readonly unknown[], secrets: readonly string[]): string[] {
  const leaks: string[] = [];
  const visit = (error: unknown, path: string, depth: number): void => {
    for (const text of renderings(error)) {
      for (const secret of secrets) {
        if (secret !== '' && text.includes(secret)) leaks.push(`${path}: ${String(error).slice(0, 200)}`);
      }
    }
    if (depth > 10 || typeof error !== 'object' || error === null) return;
    const { cause } = error as { cause?: unknown };
    if (cause !== undefined) visit(cause, `${path}.cause`, depth + 1);
    if (error instanceof AggregateError) {
      for (const [index, member] of error.errors.entries()) {
        visit(member, `${path}.errors[${index}]`, depth + 1);
      }
    }
  };
  for (const [index, error] of errors.entries()) visit(error, `errors[${index}]`, 0);
  return [...new Set(leaks)];
}
