import type { Clock } from '@kubeinformers/core';

/**
 * Runs `flush` once, later; returns a canceller. However many changes arrive before it runs, they are
 * delivered together, so a burst of watch events costs one React render per subscribed component.
 */
export type NotificationScheduler = (flush: () => void) => () => void;

/**
 * One flush per animation frame: changes reach the screen at the display's pace and never faster. Where
 * there are no frames (a hidden tab pauses them, a worker or Node has none) it falls back to a 16 ms
 * timer, so a background page still keeps its state current.
 */
export function animationFrameScheduler(clock: Clock): NotificationScheduler {
  return (flush) => {
    const frames = globalThis.requestAnimationFrame;
    if (typeof frames !== 'function' || globalThis.document?.visibilityState === 'hidden') {
      const timer = clock.setTimeout(flush, 16);
      return () => timer.cancel();
    }
    const frame = frames(() => flush());
    return () => globalThis.cancelAnimationFrame(frame);
  };
}

/** One flush per `intervalMs` at most, timed by `clock`: for dashboards that update every second. */
export function intervalScheduler(clock: Clock, intervalMs: number): NotificationScheduler {
  return (flush) => {
    const timer = clock.setTimeout(flush, intervalMs);
    return () => timer.cancel();
  };
}
