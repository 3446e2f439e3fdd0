// Callback data: "v1:<action>:<arg>…", at most 64 bytes. Parsed strictly; anything else (old
// format, forged, truncated) is null and gets a polite "not recognised".
import { KINDS, LOCALES, type Kind, type Locale } from "../core/cases/categories.ts";

const VERSION = "v1";
const MENU_ITEMS = ["new", "mine", "lang", "help"] as const;
export type MenuItem = (typeof MENU_ITEMS)[number];

type ArgType = "tok" | "int" | "locale" | "kind" | "code" | "menu" | "yn";

// action → named, typed arguments. "tok" is the id of the flow the button belongs to.
const SPEC = {
  lang: [["locale", "locale"]],
  menu: [["item", "menu"]],
  est: [["tok", "tok"], ["id", "int"]],
  estp: [["tok", "tok"], ["page", "int"]],
  bld: [["tok", "tok"], ["id", "int"]],
  unit: [["tok", "tok"], ["id", "int"]],
  appr: [["tok", "tok"]],
  kind: [["tok", "tok"], ["kind", "kind"]],
  cat: [["tok", "tok"], ["code", "code"]],
  // pdone/lskip: buttons of the old photo and location steps, answered "outdated" (drafts in chats)
  pdone: [["tok", "tok"]],
  lskip: [["tok", "tok"]],
  // a proposal's "change the category" (the likely ones), then every category
  chg: [["tok", "tok"]],
  all: [["tok", "tok"]],
  // registration: show the estate list again after a search
  ests: [["tok", "tok"]],
  urg: [["tok", "tok"], ["urgent", "yn"]],
  conf: [["tok", "tok"]],
  edit: [["tok", "tok"]],
  cncl: [["tok", "tok"]],
  cl: [["page", "int"]],
  co: [["id", "int"]],
  cm: [["id", "int"]],
  cp: [["id", "int"]],
  // liaison: join (0 = register as new), case card actions, flow steps
  lj: [["tok", "tok"], ["id", "int"]],
  lo: [["id", "int"]],
  la: [["id", "int"]],
  lm: [["id", "int"]],
  lr: [["id", "int"]],
  lx: [["id", "int"]],
  ln: [["id", "int"]],
  lrd: [["tok", "tok"]],
  lxd: [["tok", "tok"], ["n", "int"]],
  // office group: approve / deny an extension request (its id)
  xa: [["id", "int"]],
  xd: [["id", "int"]],
  // office group, escalation message (case id): acknowledge, reassign → other company → company → liaison
  ea: [["id", "int"]],
  er: [["id", "int"]],
  erx: [["id", "int"]],
  erc: [["id", "int"], ["co", "int"]],
  erl: [["id", "int"], ["l", "int"]],
  // resident, revisit (case id): fixed yes/no, satisfaction 1–5
  rf: [["id", "int"], ["fixed", "yn"]],
  rs: [["id", "int"], ["n", "int"]],
  // resident, survey (recipient id, question index, score 1–5 or option index)
  sva: [["id", "int"], ["q", "int"], ["v", "int"]],
} as const satisfies Record<string, readonly (readonly [string, ArgType])[]>;

type Spec = typeof SPEC;
type ArgValue<T extends ArgType> = T extends "int" ? number : T extends "locale" ? Locale : T extends "kind" ? Kind : T extends "menu" ? MenuItem : T extends "yn" ? boolean : string;
type Args<L extends readonly (readonly [string, ArgType])[]> = { [E in L[number] as E[0]]: ArgValue<E[1]> };
export type Callback = { [A in keyof Spec]: { a: A } & Args<Spec[A]> }[keyof Spec];
export type CallbackOf<A extends keyof Spec> = Extract<Callback, { a: A }>;

const TOK = /^[A-Za-z0-9_-]{8}$/;
const INT = /^(0|[1-9]\d{0,8})$/;
const CODE = /^[a-z][a-z0-9_]{0,30}$/;

function parseArg(type: ArgType, raw: string): unknown {
  switch (type) {
    case "tok":
      return TOK.test(raw) ? raw : undefined;
    case "int":
      return INT.test(raw) ? Number(raw) : undefined;
    case "locale":
      return (LOCALES as readonly string[]).includes(raw) ? raw : undefined;
    case "kind":
      return (KINDS as readonly string[]).includes(raw) ? raw : undefined;
    case "menu":
      return (MENU_ITEMS as readonly string[]).includes(raw) ? raw : undefined;
    case "code":
      return CODE.test(raw) ? raw : undefined;
    case "yn":
      return raw === "y" ? true : raw === "n" ? false : undefined;
  }
}

export function encode(cb: Callback): string {
  const spec = SPEC[cb.a] as readonly (readonly [string, ArgType])[];
  const parts = spec.map(([name, type]) => {
    const v = (cb as unknown as Record<string, unknown>)[name];
    return type === "yn" ? (v ? "y" : "n") : String(v);
  });
  const data = [VERSION, cb.a, ...parts].join(":");
  if (Buffer.byteLength(data) > 64) throw new Error(`callback data over 64 bytes: ${data}`);
  return data;
}

export function parse(data: string | undefined): Callback | null {
  if (!data || Buffer.byteLength(data) > 64) return null;
  const [version, action, ...rest] = data.split(":");
  if (version !== VERSION || !action || !Object.hasOwn(SPEC, action)) return null;
  const spec = SPEC[action as keyof Spec] as readonly (readonly [string, ArgType])[];
  if (rest.length !== spec.length) return null;
  const out: Record<string, unknown> = { a: action };
  for (let i = 0; i < spec.length; i++) {
    const [name, type] = spec[i]!;
    const v = parseArg(type, rest[i]!);
    if (v === undefined) return null;
    out[name] = v;
  }
  return out as Callback;
}
