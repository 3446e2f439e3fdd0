// The admin tool's password prompt: nothing typed is echoed, and it asks twice (a typo in a password
// nobody can see would lock its owner out).
import readline from "node:readline/promises";
import { Writable } from "node:stream";

export class PasswordMismatch extends Error {}

export async function askPasswordTwice(input: NodeJS.ReadableStream, output: NodeJS.WritableStream): Promise<string> {
  // readline echoes what it reads to its output: it gets one that drops everything; prompts go to the real one.
  const silent = new Writable({ write: (_chunk, _enc, done) => done() });
  // On a terminal, readline takes it into raw mode (no echo by the terminal) and echoes to `silent`.
  const terminal = typeof (input as { setRawMode?: unknown }).setRawMode === "function";
  const rl = readline.createInterface({ input, output: silent, terminal });
  const ask = async (prompt: string) => {
    output.write(prompt);
    const answer = await rl.question("");
    output.write("\n");
    return answer;
  };
  try {
    const first = await ask("password (10+ characters): ");
    const second = await ask("same password again: ");
    if (first !== second) throw new PasswordMismatch("the two passwords differ; nothing was changed");
    return first;
  } finally {
    rl.close();
  }
}
