// The column mapping a clerk confirmed on the preview page (header as written → column key, "" = not
// used), remembered per sheet kind so the office's next upload of its register is read the same way.
import type { Db } from "../../db/db.ts";
import type { ColumnMapping } from "./read.ts";
import { SHEETS } from "./sheets.ts";

export async function rememberedMapping(db: Db): Promise<ColumnMapping> {
  const out: ColumnMapping = {};
  for (const r of await db.importColumnMapping.findMany()) {
    const kind = SHEETS.find((s) => s.kind === r.kind)?.kind;
    if (kind) (out[kind] ??= {})[r.header] = r.key;
  }
  return out;
}

/** Keeps the clerk's choices; a key that is no column of the kind is dropped, never stored. */
export async function rememberMapping(db: Db, mapping: ColumnMapping, now: Date): Promise<void> {
  for (const [kind, headers] of Object.entries(mapping)) {
    const k = SHEETS.find((s) => s.kind === kind);
    if (!k) continue;
    for (const [header, key] of Object.entries(headers ?? {})) {
      if (key !== "" && !k.columns.some((c) => c.key === key)) continue;
      const h = header.slice(0, 100);
      await db.importColumnMapping.upsert({ where: { kind_header: { kind, header: h } }, create: { kind, header: h, key, updatedAt: now }, update: { key, updatedAt: now } });
    }
  }
}
