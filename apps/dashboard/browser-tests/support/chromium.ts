import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

/** Debian's Chromium; the suite never downloads a browser. */
export const chromiumPath = process.env.KUBEINFORMERS_CHROMIUM ?? '/usr/bin/chromium';

export const chromiumAvailable = existsSync(chromiumPath);

if (!chromiumAvailable) {
  // Loud on purpose: a skipped browser suite must not pass unnoticed.
  console.warn(
    `\n!!! ${chromiumPath} is missing: the browser tests are SKIPPED. Install it with \`apt-get install -y chromium\`.\n`,
  );
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--no-sandbox',
      '--headless',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}
