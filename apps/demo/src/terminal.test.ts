import { describe, expect, it } from 'vitest';
import { Terminal } from './terminal.js';

function capture(color: boolean): { terminal: Terminal; output: () => string } {
  let text = '';
  return { terminal: new Terminal((chunk) => (text += chunk), color), output: () => text };
}

describe('Terminal', () => {
  it('aligns messages after a label column, without escapes when plain', () => {
    const { terminal, output } = capture(false);
    terminal.line('pods', 'ADDED pod with name web-1 in shop');
    terminal.line('replicasets', 'ADDED replicaset with name web in shop');

    expect(output()).toBe(
      '  pods        ADDED pod with name web-1 in shop\n  replicasets ADDED replicaset with name web in shop\n',
    );
  });

  it('plain: prints a status line only when it changed, and again after other output', () => {
    const { terminal, output } = capture(false);
    terminal.status('syncing', 'pods 0 …');
    terminal.status('syncing', 'pods 0 …');
    terminal.status('syncing', 'pods 500 …');
    terminal.line('pods', 'WATCH');
    terminal.status('syncing', 'pods 500 …');

    expect(output()).toBe(
      '  syncing     pods 0 …\n  syncing     pods 500 …\n  pods        WATCH\n  syncing     pods 500 …\n',
    );
  });

  it('colour: redraws the status line in place, clears it before other output, keeps it on request', () => {
    const { terminal, output } = capture(true);
    terminal.status('syncing', 'pods 0 …');
    terminal.line('pods', 'WATCH', 'dim');
    terminal.status('syncing', 'pods 557 ✓');
    terminal.keepStatus();
    terminal.line('synced', 'done', 'green');

    expect(output()).toBe(
      '\r\u001b[2K  \u001b[36msyncing     \u001b[0mpods 0 …' +
        '\r\u001b[2K  \u001b[2mpods        \u001b[0mWATCH\n' +
        '\r\u001b[2K  \u001b[36msyncing     \u001b[0mpods 557 ✓\n' +
        '  \u001b[32msynced      \u001b[0mdone\n',
    );
  });
});
