// rules/clocks.json: reminder lead times, escalation grace, revisit timing, digest and sweep
// schedules — office-editable, validated at load.
import fs from "node:fs";
import path from "node:path";
import cron from "node-cron";
import { z } from "zod";
import { DURATION_UNITS } from "./deadlines.ts";
import { loadRuleFile } from "../rule-file.ts";

const duration = z.strictObject({ amount: z.number().min(0), unit: z.enum(DURATION_UNITS) });
const perUrgency = <T extends z.ZodType>(t: T) => z.strictObject({ emergency: t, urgent: t, normal: t });
const cronExpr = z.string().refine((e) => cron.validate(e), "not a valid cron expression");

/** Kinds and levels whose clock starts at the next opening when filed after hours (core/clocks/deadlines.ts clockStart). */
export const afterHoursStartSchema = z.strictObject({ kinds: z.array(z.enum(["repair", "complaint", "suggestion"])), levels: z.array(z.enum(["urgent", "normal"])) });
export const DEFAULT_AFTER_HOURS_START = { kinds: ["repair", "complaint"], levels: ["normal"] } as const satisfies z.infer<typeof afterHoursStartSchema>;

const schema = z.object({
  afterHoursStart: afterHoursStartSchema.default({ kinds: [...DEFAULT_AFTER_HOURS_START.kinds], levels: [...DEFAULT_AFTER_HOURS_START.levels] }),
  reminders: perUrgency(z.strictObject({ response: duration, resolution: duration })),
  escalation: z.object({ districtAfter: perUrgency(duration) }),
  revisit: z.strictObject({ askAfter: duration, remindAfter: duration, closeAfter: duration }),
  digest: z.object({ cron: cronExpr }),
  sweep: z.object({ cron: cronExpr }),
});

export type ClockSettings = z.infer<typeof schema>;

export function loadClockSettings(rulesDir: string): ClockSettings {
  const { file, data } = loadRuleFile(rulesDir, "clocks.json", schema);
  if (data.revisit.closeAfter.amount > 0 && data.revisit.remindAfter.unit === data.revisit.closeAfter.unit && data.revisit.remindAfter.amount >= data.revisit.closeAfter.amount) {
    throw new Error(`${file}: revisit.remindAfter must be shorter than revisit.closeAfter`);
  }
  return data;
}

/**
 * The settings in force, re-read when clocks.json changes on disk; an invalid edit is logged and
 * the previous settings stay (like the routing rules). Cron schedules take effect at restart.
 */
export function clockSettingsSource(rulesDir: string, log: { error: (o: object, m: string) => void }): () => ClockSettings {
  const file = path.join(rulesDir, "clocks.json");
  let current = loadClockSettings(rulesDir);
  let mtime = fs.statSync(file).mtimeMs;
  return () => {
    try {
      const m = fs.statSync(file).mtimeMs;
      if (m !== mtime) {
        mtime = m;
        current = loadClockSettings(rulesDir);
      }
    } catch (err) {
      log.error({ err: (err as Error).message }, "clocks.json rejected; the previous settings stay in force");
    }
    return current;
  };
}
