import type { Page } from 'playwright-core';

/** Every phase the page's health indicator has shown since `recordHealth` began. */
export interface HealthLog {
  phases(): Promise<string[]>;
}

declare global {
  interface Window {
    kubeinformersHealthPhases?: string[];
  }
}

/**
 * Records the health indicator's phases from inside the page. A phase can last less than the time
 * between two of Playwright's polls; a MutationObserver sees every change, because each record keeps
 * the value it replaced (the values held = every replaced value, then the current one). What it cannot
 * see is a phase that never rendered: the indicator renders once a frame.
 */
export async function recordHealth(page: Page): Promise<HealthLog> {
  await page.evaluate(() => {
    const phases: string[] = [];
    window.kubeinformersHealthPhases = phases;
    new MutationObserver((records) => {
      for (const record of records) {
        const target = record.target as Element;
        if (target.matches('[data-testid=health]') && record.oldValue !== null) phases.push(record.oldValue);
      }
    }).observe(document.body, {
      subtree: true,
      attributes: true,
      attributeFilter: ['data-phase'],
      attributeOldValue: true,
    });
  });
  return {
    phases: () =>
      page.evaluate(() => [
        ...(window.kubeinformersHealthPhases ?? []),
        document.querySelector('[data-testid=health]')?.getAttribute('data-phase') ?? '',
      ]),
  };
}
