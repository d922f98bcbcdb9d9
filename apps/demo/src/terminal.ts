/** The colours the demo uses; each maps to an ANSI SGR code. */
export type Tone = 'plain' | 'dim' | 'bold' | 'green' | 'yellow' | 'red' | 'cyan' | 'magenta';

const sgr: Readonly<Record<Tone, string>> = {
  plain: '',
  dim: '2',
  bold: '1',
  green: '32',
  yellow: '33',
  red: '31',
  cyan: '36',
  magenta: '35',
};

/** Width of the label column, so every message starts at the same column. */
const labelWidth = 12;

/**
 * Line-oriented output: a label column padded to one width, then the message. Colour only when asked
 * (a terminal without `NO_COLOR`), so piped output and test logs stay plain text.
 *
 * `status` shows a line that the next `status` or `line` replaces: in place on a terminal, and only
 * when it changed otherwise (a log then shows each step of the progress once).
 */
export class Terminal {
  private statusShown: string | undefined;

  constructor(
    private readonly write: (text: string) => void,
    private readonly color: boolean,
  ) {}

  paint(tone: Tone, text: string): string {
    return this.color && tone !== 'plain' ? `\u001b[${sgr[tone]}m${text}\u001b[0m` : text;
  }

  /** A heading for one step of the walkthrough. */
  heading(text: string): void {
    this.clearStatus();
    this.write(`\n${this.paint('bold', text)}\n`);
  }

  /** One aligned line: `label` in its column (in `tone`), then `message`. */
  line(label: string, message: string, tone: Tone = 'cyan'): void {
    this.clearStatus();
    this.write(`${this.column(label, tone)}${message}\n`);
  }

  /** A progress line, replaced by the next output. */
  status(label: string, message: string): void {
    const text = `${this.column(label, 'cyan')}${message}`;
    if (this.color) {
      this.write(`\r\u001b[2K${text}`);
      this.statusShown = text;
    } else if (text !== this.statusShown) {
      this.write(`${text}\n`);
      this.statusShown = text;
    }
  }

  /** Keeps the current status line as an ordinary line: the next output goes below it. */
  keepStatus(): void {
    if (this.color && this.statusShown !== undefined) this.write('\n');
    this.statusShown = undefined;
  }

  private clearStatus(): void {
    if (this.color && this.statusShown !== undefined) this.write('\r\u001b[2K');
    this.statusShown = undefined;
  }

  private column(label: string, tone: Tone): string {
    return `  ${this.paint(tone, label.padEnd(labelWidth))}`;
  }
}
