// Folds what waits for one robot into as few messages as its byte limit allows: one waiting row goes
// as its own text; several go as one message per group ("3 件新升级") listing each row's line.
import { ROBOT_MAX_BYTES, type RobotMarkdown } from "./robot-api.ts";
import { foldHeading, type RobotPayload } from "./robot-messages.ts";

export interface FoldRow {
  id: number;
  payload: RobotPayload;
}

export interface Folded extends RobotMarkdown {
  ids: number[];
}

const bytes = (s: string) => Buffer.byteLength(s, "utf8");

function clip(s: string, max: number): string {
  if (bytes(s) <= max) return s;
  let out = s;
  while (bytes(out) > max - 3) out = out.slice(0, Math.floor(out.length * 0.9));
  return `${out}…`;
}

/** `base`: PUBLIC_BASE_URL, put in place of {base} in links. */
export function fold(rows: FoldRow[], base: string, maxBytes = ROBOT_MAX_BYTES): Folded[] {
  const fill = (s: string) => s.replaceAll("{base}", base);
  if (rows.length === 1) {
    const r = rows[0]!;
    return [{ ids: [r.id], title: r.payload.title, text: clip(fill(r.payload.text), maxBytes) }];
  }
  const groups = new Map<string, FoldRow[]>();
  for (const r of rows) groups.set(r.payload.group, [...(groups.get(r.payload.group) ?? []), r]);
  const out: Folded[] = [];
  for (const list of groups.values()) {
    const locale = list[0]!.payload.locale;
    const group = list[0]!.payload.group;
    // Lines are packed greedily; the heading names how many this message lists.
    let chunk: { r: FoldRow; line: string }[] = [];
    let size = 0;
    const flush = () => {
      if (!chunk.length) return;
      const title = foldHeading(group, chunk.length, locale);
      out.push({ ids: chunk.map((c) => c.r.id), title, text: [`### ${title}`, ...chunk.map((c) => c.line)].join("\n") });
      chunk = [];
      size = 0;
    };
    // Cases fold to their one line; a notice (digest, warning, bulletin, test) keeps its whole text.
    const perCase = group === "escalation" || group === "extension";
    for (const r of list) {
      const line = clip(fill(perCase ? r.payload.line : `${r.payload.text}\n`), maxBytes - 64);
      const b = bytes(line) + 1;
      if (size + b + 64 > maxBytes) flush();
      chunk.push({ r, line });
      size += b;
    }
    flush();
  }
  return out;
}
