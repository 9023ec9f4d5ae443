import cliProgress from 'cli-progress';

/** Progress for long work: a bar on a TTY, plain periodic lines otherwise (CI logs, pipes). */
export interface Progress {
  update(done: number, info?: Record<string, string | number>): void;
  stop(): void;
}

export function progress(label: string, total: number, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (stream.isTTY) {
    const bar = new cliProgress.SingleBar(
      { format: `${label} [{bar}] {value}/{total} {info}`, stream, hideCursor: true, clearOnComplete: false },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, 0, { info: '' });
    return {
      update(done, info) {
        bar.update(done, { info: info ? formatInfo(info) : '' });
      },
      stop() {
        bar.stop();
      },
    };
  }
  let lastPrinted = -1;
  const step = Math.max(1, Math.ceil(total / 10));
  return {
    update(done, info) {
      if (done === total || done - lastPrinted >= step) {
        lastPrinted = done;
        stream.write(`${label} ${done}/${total}${info ? ' ' + formatInfo(info) : ''}\n`);
      }
    },
    stop() {},
  };
}

function formatInfo(info: Record<string, string | number>): string {
  return Object.entries(info)
    .map(([k, v]) => `${k}=${typeof v === 'number' ? (Number.isInteger(v) ? v : v.toPrecision(4)) : v}`)
    .join(' ');
}

/** A silent Progress for library callers that do not want output. */
export const noProgress: Progress = { update() {}, stop() {} };
