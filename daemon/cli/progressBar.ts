// A one-line progress bar on a TTY; silent when output is piped or --json is set.
export function progressBar(stream: NodeJS.WriteStream, enabled: boolean): { update(fraction: number, message: string): void; done(): void } {
  const on = enabled && stream.isTTY === true;
  let drawn = false;
  return {
    update(fraction, message) {
      if (!on) return;
      const width = 24;
      const filled = Math.round(Math.min(1, Math.max(0, fraction)) * width);
      stream.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${Math.round(fraction * 100)}% ${message}\x1b[K`);
      drawn = true;
    },
    done() {
      if (drawn) stream.write('\r\x1b[K');
    },
  };
}
