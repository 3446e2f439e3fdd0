// Directory pages for offices: every office's delivery status (Telegram group linked? last message
// delivered when? bot removed from the group → shown, with an alert for the admin and district), and
// an office's page with its group link code (`/office <code>` in the group), a new code, the digest
// e-mail address, and its edit form: name and language (a street office, for its own office), and
// for admin and district also level, street and watched estates — saved through editOffice (audited).
import express, { type Request, type Response, type Router } from "express";
import type { Db } from "../../../core/db/db.ts";
import type { Refusal } from "../../../core/directory/audit.ts";
import { OFFICE_LEVELS, OfficeInput } from "../../../core/directory/fields.ts";
import { LOCALES } from "../../../core/cases/categories.ts";
import { editOffice, officeByCode, officeDelivery, renewLinkCode, saveOffice, setOfficeEmail } from "../../../core/directory/offices.ts";
import { queueRobotTest, robotStatus, setOfficeRobots, type RobotStatus } from "../../../core/delivery/robots/office-robots.ts";
import { z } from "zod";
import { scopeOf } from "../../auth.ts";
import { HttpError } from "../../http.ts";
import type { OfficeAppDeps } from "../../office.ts";
import { view, type View } from "../layout.ts";
import { refusedPage, attempt, Csrf, DIR, districtWide, Err, Field, field, forbidden, form, Saved, Select, sendPage } from "./common.tsx";

type Delivery = Awaited<ReturnType<typeof officeDelivery>>[number];

export function officePages(db: Db, d: OfficeAppDeps): Router {
  const r = express.Router();
  const v = (req: Request, res: Response) => view(req, res, d.defaultLocale, d.timezone);
  const mine = (res: Response, o: { level: string; streetId: number | null }) => {
    const s = scopeOf(res);
    return districtWide(s) || (s.role === "street" && o.level === "street" && o.streetId === s.streetId);
  };

  const listPage = async (req: Request, res: Response, error?: Refusal[]) => {
    const vw = v(req, res);
    const t = vw.t;
    const s = scopeOf(res);
    const rows = (await officeDelivery(db)).filter((x) => districtWide(s) || (s.role === "street" && x.office.streetId === s.streetId));
    const removed = rows.filter((x) => x.chat === "removed");
    const streets = await db.street.findMany({ where: { active: true }, orderBy: { code: "asc" } });
    const b = (req.method === "POST" ? (req.body ?? {}) : {}) as Record<string, string>;
    sendPage(
      res,
      vw,
      t("dir_offices"),
      <>
        <Saved req={req} v={vw} />
        <Err v={vw} error={error} />
        {removed.length && districtWide(s) ? (
          <p class="err" id="removed-alert">
            {t("dir_removed_alert")} {removed.map((x) => x.office.name).join("、")}
          </p>
        ) : null}
        <div class="scroll">
          <table id="offices">
            <thead>
              <tr>
                <th>{t("dir_name")}</th>
                <th>{t("dir_level")}</th>
                <th>{t("dir_chat")}</th>
                <th>{t("dir_last_delivery")}</th>
                <th>{t("dir_email")}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((x) => (
                <tr id={`office-${x.office.code}`}>
                  <td>{mine(res, x.office) ? <a href={`${DIR}/offices/${x.office.code}`}>{x.office.name}</a> : x.office.name}</td>
                  <td>{t(`level_${x.office.level}`)}</td>
                  <td>
                    <ChatStatus vw={vw} x={x} />
                  </td>
                  <td>
                    <LastMessage vw={vw} x={x} />
                  </td>
                  <td>{x.office.email ?? "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {districtWide(s) ? (
          <form method="post" action={`${DIR}/offices`} class="card form" id="office-form">
            <h2>{t("dir_new_office")}</h2>
            <Csrf v={vw} />
            <Field label={t("dir_code")} name="code" value={b.code} required />
            <Field label={t("dir_name")} name="name" value={b.name} required />
            <Select label={t("dir_level")} name="level" options={OFFICE_LEVELS.map((l) => [l, t(`level_${l}`)])} value={b.level} />
            <Select label={t("street")} name="street" options={streets.map((x) => [x.code, x.name])} value={b.street} empty="—" />
            <Field label={t("dir_watched_estates")} name="estates" value={b.estates} />
            <button>{t("dir_save")}</button>
          </form>
        ) : null}
      </>,
      { status: error ? 400 : 200, tab: "offices" },
    );
  };
  r.get("/offices", (req, res) => listPage(req, res));
  r.post("/offices", form, async (req, res) => {
    if (!districtWide(scopeOf(res))) forbidden();
    const out = await attempt(() => {
      const o = OfficeInput.parse({
        code: field(req, "code") ?? "",
        name: field(req, "name") ?? "",
        level: field(req, "level") ?? "",
        street: field(req, "street") ?? null,
        estates: (field(req, "estates") ?? "").split(/[,，、\s]+/).filter(Boolean),
      });
      return db.$transaction((tx) => saveOffice(tx, scopeOf(res).actorId, o));
    });
    if (!out.ok) return listPage(req, res, out.error);
    res.redirect(303, `${DIR}/offices/${out.value.row.code}?saved`);
  });

  const own = async (res: Response, code: string) => {
    const o = await officeByCode(db, code).catch(() => {
      throw refusedPage(404, { reason: "unknown_office", params: { code } });
    });
    if (!mine(res, o)) forbidden();
    return o;
  };
  const officePage = async (req: Request, res: Response, code: string, error?: Refusal[]) => {
    const o = await own(res, code);
    const vw = v(req, res);
    const t = vw.t;
    const x = (await officeDelivery(db)).find((y) => y.office.id === o.id)!;
    const robots = await robotStatus(db, o);
    const wide = districtWide(scopeOf(res));
    const [streets, watched] = await Promise.all([
      wide ? db.street.findMany({ where: { active: true }, orderBy: { code: "asc" } }) : Promise.resolve([]),
      o.estateIds.length ? db.estate.findMany({ where: { id: { in: o.estateIds } }, select: { code: true }, orderBy: { code: "asc" } }) : Promise.resolve([]),
    ]);
    const b = (req.method === "POST" && (req.path.endsWith("/edit") || req.path.endsWith("/robots")) ? (req.body ?? {}) : {}) as Record<string, string>;
    sendPage(
      res,
      vw,
      o.name,
      <>
        <Saved req={req} v={vw} />
        <Err v={vw} error={error} />
        <div class="card" id="chat">
          <h2>{t("dir_chat")}</h2>
          <p>
            <ChatStatus vw={vw} x={x} />
          </p>
          <p>
            {t("dir_last_delivery")}: <LastMessage vw={vw} x={x} />
          </p>
          <p>{t("dir_link_how")}</p>
          <p>
            <code id="link-command">{`/office ${o.chatLinkCode ?? ""}`}</code>
          </p>
          <p class="muted">
            {t("dir_member_how")} <code>{`/office ${o.inviteCode ?? ""}`}</code>
          </p>
          <form method="post" action={`${DIR}/offices/${o.code}/link-code`} class="inline">
            <Csrf v={vw} />
            <button>{t("dir_renew_code")}</button>
          </form>
        </div>
        <form method="post" action={`${DIR}/offices/${o.code}/edit`} class="card form" id="office-edit">
          <h2>{t("dir_edit_office")}</h2>
          <Csrf v={vw} />
          <Field label={t("dir_name")} name="name" value={b.name ?? o.name} required />
          <Select label={t("dir_language")} name="language" options={LOCALES.map((l) => [l, t(`lang_${l}`)])} value={b.language ?? o.language} />
          {wide ? (
            <>
              <Select label={t("dir_level")} name="level" options={OFFICE_LEVELS.map((l) => [l, t(`level_${l}`)])} value={b.level ?? o.level} />
              <Select label={t("street")} name="street" options={streets.map((s) => [s.code, s.name])} value={b.street ?? streets.find((s) => s.id === o.streetId)?.code ?? ""} empty="—" />
              <Field label={t("dir_watched_estates")} name="estates" value={b.estates ?? watched.map((e) => e.code).join(",")} />
            </>
          ) : null}
          <button>{t("dir_save")}</button>
        </form>
        <form method="post" action={`${DIR}/offices/${o.code}/email`} class="card form" id="email-form">
          <h2>{t("dir_email")}</h2>
          <Csrf v={vw} />
          <Field label={t("dir_email")} name="email" type="email" value={o.email} />
          <button>{t("dir_save")}</button>
        </form>
        <div class="card" id="robots">
          <h2>{t("dir_robots")}</h2>
          <p class="muted">{t("dir_robots_how")}</p>
          {req.query.tested !== undefined ? <p class="ok">{`✓ ${t("dir_robot_test_queued")}`}</p> : null}
          {robots.map((r) => (
            <RobotLine vw={vw} r={r} code={o.code!} />
          ))}
          <form method="post" action={`${DIR}/offices/${o.code}/robots`} class="form" id="robots-form">
            <Csrf v={vw} />
            <Field label={`${t("dir_wecom")} (${t("dir_robot_keep")})`} name="wecomWebhook" type="url" value={b.wecomWebhook ?? ""} />
            <Field label={`${t("dir_dingtalk")} (${t("dir_robot_keep")})`} name="dingtalkWebhook" type="url" value={b.dingtalkWebhook ?? ""} />
            <Field label={`${t("dir_dingtalk_secret")} (${t("dir_robot_keep")})`} name="dingtalkSecret" type="password" value="" />
            <button>{t("dir_save")}</button>
          </form>
        </div>
      </>,
      { status: error ? 400 : 200, tab: "offices" },
    );
  };
  r.get("/offices/:code", (req, res) => officePage(req, res, req.params.code));
  r.post("/offices/:code/email", form, async (req, res) => {
    const o = await own(res, req.params.code);
    const out = await attempt(() => setOfficeEmail(db, scopeOf(res).actorId, o.code!, z.email("v_email").max(200).nullable().parse(field(req, "email") ?? null)));
    if (!out.ok) return officePage(req, res, o.code!, out.error);
    res.redirect(303, `${DIR}/offices/${o.code}?saved`);
  });
  r.post("/offices/:code/edit", form, async (req, res) => {
    const o = await own(res, req.params.code);
    const wide = districtWide(scopeOf(res));
    const out = await attempt(() => {
      // A street office edits its own office's name and language; level, street and estates are the district's.
      const patch = OfficeInput.pick({ name: true, language: true, level: true, street: true, estates: true })
        .partial()
        .parse({
          name: field(req, "name") ?? "",
          language: field(req, "language"),
          ...(wide ? { level: field(req, "level"), street: field(req, "street") ?? null, estates: (field(req, "estates") ?? "").split(/[,，、\s]+/).filter(Boolean) } : {}),
        });
      return editOffice(db, scopeOf(res).actorId, o.code!, patch);
    });
    if (!out.ok) return officePage(req, res, o.code!, out.error);
    await d.router.reload();
    res.redirect(303, `${DIR}/offices/${o.code}?saved`);
  });
  r.post("/offices/:code/robots", form, async (req, res) => {
    const o = await own(res, req.params.code);
    // Empty keeps what is stored (secrets are never shown back); "clear" buttons send "-".
    const val = (name: string) => {
      const v = field(req, name);
      return v === undefined ? undefined : v === "-" ? null : v;
    };
    const out = await attempt(() => setOfficeRobots(db, scopeOf(res).actorId, o.code!, { wecomWebhook: val("wecomWebhook"), dingtalkWebhook: val("dingtalkWebhook"), dingtalkSecret: val("dingtalkSecret") }));
    if (!out.ok) return officePage(req, res, o.code!, out.error);
    res.redirect(303, `${DIR}/offices/${o.code}?saved#robots`);
  });
  r.post("/offices/:code/robots/:provider/test", form, async (req, res) => {
    const o = await own(res, req.params.code);
    const provider = req.params.provider === "wecom" ? "wecom" : req.params.provider === "dingtalk" ? "dingtalk" : null;
    if (!provider) throw refusedPage(404, { reason: "unknown_office", params: { code: String(req.params.provider) } });
    const out = await attempt(() => queueRobotTest(db, o.code!, provider, d.clock.now()));
    if (!out.ok) return officePage(req, res, o.code!, out.error);
    res.redirect(303, `${DIR}/offices/${o.code}?tested#robots`);
  });
  r.post("/offices/:code/link-code", form, async (req, res) => {
    const o = await own(res, req.params.code);
    await renewLinkCode(db, scopeOf(res).actorId, o.code!);
    res.redirect(303, `${DIR}/offices/${o.code}?saved`);
  });
  return r;
}

function ChatStatus({ vw, x }: { vw: View; x: Delivery }) {
  const { t } = vw;
  if (x.chat === "linked") return <span class="ok">{`✓ ${t("dir_chat_linked")}${x.office.chatTitle ? `：${x.office.chatTitle}` : ""} · ${vw.fmt(x.office.chatLinkedAt)}`}</span>;
  if (x.chat === "removed") return <span class="err">{`⚠ ${t("dir_chat_removed")} · ${vw.fmt(x.office.chatRemovedAt)}`}</span>;
  return <span class="muted">{t("dir_chat_not_linked")}</span>;
}

function LastMessage({ vw, x }: { vw: View; x: Delivery }) {
  if (!x.last) return <span class="muted">—</span>;
  const status = x.last.status as string;
  return <span class={status === "sent" ? "" : "err"}>{`${vw.t(`delivery_${status}`)} · ${vw.fmt(x.last.sentAt ?? x.last.createdAt)}`}</span>;
}

function RobotLine({ vw, r, code }: { vw: View; r: RobotStatus; code: string }) {
  const { t } = vw;
  const name = t(r.provider === "wecom" ? "dir_wecom" : "dir_dingtalk");
  const last = r.last;
  return (
    <div class="robot" id={`robot-${r.provider}`}>
      <p>
        <strong>{name}</strong>
        {": "}
        {r.webhook ? <code>{r.webhook}</code> : <span class="muted">{t("dir_robot_not_set")}</span>}
        {r.signed ? ` · ${t("dir_robot_signed")}` : ""}
      </p>
      {last ? (
        <p>
          {t("dir_last_delivery")}: <span class={last.status === "sent" ? "" : "err"}>{`${t(`delivery_${last.status}`)} · ${vw.fmt(last.at)}`}</span>
          {last.status !== "sent" && last.error ? <pre class="err robot-error">{last.error}</pre> : null}
        </p>
      ) : null}
      {r.failed ? <p class="err">{`${r.failed} ${t("dir_robot_failed")}`}</p> : null}
      {r.webhook ? (
        <form method="post" action={`${DIR}/offices/${code}/robots/${r.provider}/test`} class="inline">
          <Csrf v={vw} />
          <button>{t("dir_robot_test")}</button>
        </form>
      ) : null}
      {r.webhook ? (
        <form method="post" action={`${DIR}/offices/${code}/robots`} class="inline">
          <Csrf v={vw} />
          <input type="hidden" name={r.provider === "wecom" ? "wecomWebhook" : "dingtalkWebhook"} value="-" />
          <button class="secondary">{t("dir_robot_clear")}</button>
        </form>
      ) : null}
    </div>
  );
}
