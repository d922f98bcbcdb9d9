import type { Page } from 'playwright-core';

/** Every phase and error the page's health indicator has shown since `recordHealth` began. */
export interface HealthLog {
  phases(): Promise<string[]>;
  errors(): Promise<string[]>;
}

interface PageHealthLog {
  phases: string[];
  errors: string[];
}

declare global {
  interface Window {
    kubeinformersHealthLog?: PageHealthLog;
  }
}

/**
 * Records the health indicator from inside the page. A reconnect can pass through `recovering` in a few
 * milliseconds, between two of Playwright's polls; a MutationObserver sees every change, because each
 * record keeps the value it replaced (the values held = every replaced value, then the current one).
 */
export async function recordHealth(page: Page): Promise<HealthLog> {
  await page.evaluate(() => {
    const indicator = '[data-testid=health]';
    const log: PageHealthLog = { phases: [], errors: [] };
    window.kubeinformersHealthLog = log;
    const noteCurrentError = () => {
      const text = document.querySelector(`${indicator} .last-error`)?.textContent;
      if (text) log.errors.push(text);
    };
    noteCurrentError();
    new MutationObserver((records) => {
      for (const record of records) {
        const inIndicator = (
          record.target instanceof Element ? record.target : record.target.parentElement
        )?.closest(indicator);
        if (inIndicator === null || inIndicator === undefined) continue;
        if (record.type === 'attributes' && record.oldValue !== null) log.phases.push(record.oldValue);
        if (
          record.type === 'characterData' &&
          record.oldValue !== null &&
          record.target.parentElement?.closest('.last-error')
        )
          log.errors.push(record.oldValue);
      }
      noteCurrentError();
    }).observe(document.body, {
      subtree: true,
      attributes: true,
      attributeFilter: ['data-phase'],
      attributeOldValue: true,
      childList: true,
      characterData: true,
      characterDataOldValue: true,
    });
  });
  const current = (page: Page) =>
    page.evaluate(() => document.querySelector('[data-testid=health]')?.getAttribute('data-phase') ?? '');
  return {
    phases: async () => [
      ...(await page.evaluate(() => window.kubeinformersHealthLog?.phases ?? [])),
      await current(page),
    ],
    errors: () => page.evaluate(() => window.kubeinformersHealthLog?.errors ?? []),
  };
}
