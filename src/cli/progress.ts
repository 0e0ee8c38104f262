// Progress on stderr: only when stderr is a terminal and not --quiet, and only once the work has
// taken a second (short runs print nothing). One line redrawn in place, at most ten times a second,
// erased when the work ends so the summary prints on a clean line.
const WIDTH = 24;
/** How long work runs before the bar appears (1 s; tests set it to 0 so they need not run long). */
const DELAY_MS = Number(process.env.SLICESIM_PROGRESS_DELAY_MS ?? 1000);

export class Progress {
  private readonly enabled: boolean;
  private readonly started = Date.now();
  private lastDraw = 0;
  private drawn = false;

  constructor(quiet: boolean, private readonly stream: NodeJS.WriteStream = process.stderr) {
    this.enabled = !quiet && stream.isTTY === true;
  }

  /** `fraction` in 0..1 fills the bar; NaN draws no bar. */
  update(label: string, fraction: number): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (now - this.started < DELAY_MS || now - this.lastDraw < 100) return;
    this.lastDraw = now;
    const filled = Number.isFinite(fraction) ? Math.max(0, Math.min(WIDTH, Math.round(fraction * WIDTH))) : 0;
    const bar = Number.isFinite(fraction) ? `[${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}] ` : '';
    const width = (this.stream.columns ?? 100) - 1;
    this.stream.write(`\r\x1b[2K${`${bar}${label}`.slice(0, width)}`);
    this.drawn = true;
  }

  clear(): void {
    if (this.drawn) this.stream.write('\r\x1b[2K');
    this.drawn = false;
  }
}
