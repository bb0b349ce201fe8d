// What a CLI command may touch besides the disk: its output streams and the working directory.
// Tests pass an in-memory io and read what was written.

export interface CliIo {
  /** Machine output (tables, paths, --json). */
  out: (text: string) => void;
  /** Progress and diagnostics. */
  err: (text: string) => void;
  cwd: string;
  /** True when stderr is a terminal (progress bars redraw in place). */
  isTty: boolean;
}

export const processIo = (): CliIo => ({
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  cwd: process.cwd(),
  isTty: Boolean(process.stderr.isTTY),
});
