// The clocks on the bot harness: core's Sweeps with the real renderer, on the harness DB and its
// ManualClock (time travel), the stub router's deadlines and the Chinese working-day calendar.
import { Sweeps } from "../../core/clocks/sweeps.ts";
import { loadClockSettings } from "../../core/clocks/clock-settings.ts";
import { sendDigests } from "../../core/clocks/digest.ts";
import { WorkCalendar } from "../../core/clocks/work-calendar.ts";
import { createClockRenderer } from "../../bot/render/clock-renderer.ts";
import type { Harness } from "./harness.ts";

export const DASHBOARD = "https://dash.example.gov";

export function clocks(h: Harness) {
  const renderer = createClockRenderer({ i18n: h.i18n, categories: h.categories, defaultLocale: "zh-Hans", timezone: "Asia/Shanghai", dashboardUrl: DASHBOARD });
  const settings = loadClockSettings("rules");
  const calendar = new WorkCalendar();
  const sweeps = new Sweeps({ db: h.db.prisma, cases: h.cases, clock: h.clock, settings: () => settings, renderer, timezone: "Asia/Shanghai", calendar: () => calendar });
  /** Runs a sweep and delivers what it enqueued, like the job and the sender in production. */
  const run = async <T>(f: (s: Sweeps) => Promise<T>): Promise<T> => {
    const r = await f(sweeps);
    await h.sender.drain();
    return r;
  };
  const digests = async () => {
    // e-mail: true as with SMTP configured (rows are stored; the test transport does not mail them).
    const n = await sendDigests({ db: h.db.prisma, clock: h.clock, renderer, dashboardUrl: DASHBOARD, timezone: "Asia/Shanghai", email: true });
    await h.sender.drain();
    return n;
  };
  return { renderer, sweeps, run, digests };
}

/** Files a water repair for a registered resident straight through the case service. */
export async function fileFor(h: Harness, chatId: number, description: string) {
  const resident = await h.db.prisma.resident.findUniqueOrThrow({ where: { telegramUserId: BigInt(chatId) } });
  const r = await h.cases.file({
    sourceKey: `t:${description}:${h.clock.now().getTime()}`,
    kind: "repair",
    category: "water",
    description,
    estateId: resident.estateId!,
    buildingId: resident.buildingId,
    unitId: resident.unitId,
    residentId: resident.id,
    actor: { type: "resident", id: resident.id },
  });
  await h.sender.drain();
  return r.case;
}
