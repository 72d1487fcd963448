// One self-overwriting status line on a terminal; silent when output is piped.
export function progressLine(stream: NodeJS.WriteStream): { update(text: string): void; clear(): void } {
  const enabled = !!stream.isTTY;
  let shown = false;
  return {
    update(text) {
      if (!enabled) return;
      const width = Math.max(20, (stream.columns ?? 80) - 1);
      stream.write(`\r\x1b[2K${text.slice(0, width)}`);
      shown = true;
    },
    clear() {
      if (enabled && shown) stream.write("\r\x1b[2K");
      shown = false;
    },
  };
}
