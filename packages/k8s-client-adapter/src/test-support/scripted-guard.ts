import { LeadershipLostError, type WriteGuard } from '@kubeinformers/core';

/** A guard that answers from a script: each call takes the next answer (the last one repeats). */
export function scriptedGuard(answers: boolean[]): WriteGuard & { inFlight: number; calls: number } {
  const guard = {
    inFlight: 0,
    calls: 0,
    assertValid() {
      const valid = answers[Math.min(guard.calls, answers.length - 1)];
      guard.calls += 1;
      if (!valid) throw new LeadershipLostError('leases/default/test', 'me');
    },
    admitWrite() {
      guard.assertValid();
      guard.inFlight += 1;
      return () => {
        guard.inFlight -= 1;
      };
    },
  };
  return guard;
}
