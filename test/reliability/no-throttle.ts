// Preloaded into the child main.ts (node --import) to replace @grammyjs/transformer-throttler with a
// pass-through: Telegram's published limits (1 message/s per chat) would make a burst of filings
// take minutes; in-process tests switch it off the same way (buildServices({ throttle: false })).
// Nothing else of main.ts changes.
import { register } from "node:module";

const stub = "data:text/javascript," + encodeURIComponent("export const apiThrottler = () => (prev, method, payload, signal) => prev(method, payload, signal);");
const hooks = `export async function resolve(specifier, context, next) {
  if (specifier === "@grammyjs/transformer-throttler") return { url: ${JSON.stringify(stub)}, shortCircuit: true };
  return next(specifier, context);
}`;
register("data:text/javascript," + encodeURIComponent(hooks));
