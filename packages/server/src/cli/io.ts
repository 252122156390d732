/** Where a CLI command reads and writes, so tests can run commands without a child process. */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  /** Reads all of standard input. */
  readStdin(): Promise<string>;
  /** Reads standard input line by line (for streaming modes such as `phi scan --jsonl`). */
  stdinLines(): AsyncIterable<string>;
  /** Writes raw text with no newline added (for large outputs). */
  write(text: string): void;
}

export const processIo: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  write: (text) => process.stdout.write(text),
  async readStdin() {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  },
  async *stdinLines() {
    const { createInterface } = await import('node:readline');
    const rl = createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY });
    for await (const line of rl) yield line;
  },
};
