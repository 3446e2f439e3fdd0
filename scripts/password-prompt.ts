// The admin tool's password prompt: nothing typed is echoed, and it asks twice (a typo in a password
// nobody can see would lock its owner out).
import readline from "node:readline/promises";
import { Writable } from "node:stream";

export class PasswordMismatch extends Error {}

export async function askPasswordTwice(input: NodeJS.ReadableStream, output: NodeJS.WritableStream): Promise<string> {
  const first = await askHidden("password (10+ characters): ", input, output);
  const second = await askHidden("same password again: ", input, output);
  if (first !== second) throw new PasswordMismatch("the two passwords differ; nothing was changed");
  return first;
}

async function askHidden(prompt: string, input: NodeJS.ReadableStream, output: NodeJS.WritableStream): Promise<string> {
  output.write(prompt);
  // readline echoes what it reads to its output: it gets one that drops everything.
  const silent = new Writable({ write: (_chunk, _enc, done) => done() });
  const rl = readline.createInterface({ input, output: silent, terminal: true });
  try {
    return await rl.question("");
  } finally {
    rl.close();
    output.write("\n");
  }
}
