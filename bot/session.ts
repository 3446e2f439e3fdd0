// What a chat remembers between updates (stored in BotSession, so it survives restarts).
// Every flow carries a random id that its buttons repeat: a button whose id no longer matches
// the current flow is outdated and refused.
import type { Kind, Locale } from "../core/cases/categories.ts";

export interface Photo {
  fileId: string;
  fileUniqueId?: string;
}

export type RegStep = "lang" | "estate" | "building" | "unit" | "verify" | "phone";
export interface RegFlow {
  t: "reg";
  id: string;
  step: RegStep;
  page: number;
  estateId?: number;
  buildingId?: number;
  unitId?: number;
  tries: number;
}

/** "photos" is no longer a step (photos come at any time); kept so a stored draft still reads. */
export type DraftStep = "kind" | "category" | "description" | "photos" | "location" | "urgency" | "confirm";
export interface Draft {
  id: string;
  step: DraftStep;
  kind?: Kind;
  category?: string;
  description?: string;
  photos: Photo[];
  latitude?: number;
  longitude?: number;
  urgent?: boolean;
  /** Editing the description from the summary returns to the summary. */
  editing?: boolean;
  /** Started from a plain message: kind, category and urgency were proposed by the understanding. */
  understood?: boolean;
  /** Likely categories besides the proposed one, best first ("change the category"). */
  alternatives?: string[];
  /** The category was tapped: later text no longer re-decides it. */
  picked?: boolean;
  /** The messages the description is made of: an edit of one of them updates the draft. */
  parts?: { messageId: number; text: string }[];
  /** The location step was answered (given or skipped). */
  located?: boolean;
  /** The media group last acknowledged: its other photos are counted without a reply each. */
  mediaGroup?: string;
}

/** Adding a message or photo to an existing case. */
export interface AddFlow {
  t: "add";
  id: string;
  caseId: number;
  what: "text" | "photo";
}

/** Joining as a company liaison: invite code → pick a name (or register new) → name. */
export interface JoinFlow {
  t: "join";
  id: string;
  step: "code" | "pick" | "name";
  companyId?: number;
}

/** A liaison's multi-step action on one case; `msgId` is the message whose buttons started it. */
export type CaseStep = "message" | "resolve-note" | "resolve-photo" | "ext-reason" | "ext-date" | "transfer";
export interface CaseFlow {
  t: "case";
  id: string;
  caseId: number;
  step: CaseStep;
  note?: string;
  photos?: string[];
  reason?: string;
  msgId?: number;
}

export interface SessionData {
  /** Language before a Resident row exists (afterwards Resident.language rules). */
  lang?: Locale;
  /** A short-lived flow (registration, adding to a case); takes input before the draft. */
  flow?: RegFlow | AddFlow | JoinFlow | CaseFlow;
  /** Wrong company invite codes sent from this chat (a cap against guessing). */
  joinTries?: number;
  draft?: Draft;
  /** The last filed draft: a repeated Confirm for it answers with the number, not a new case. */
  lastFiled?: { draftId: string; number: string; caseId?: number; mediaGroup?: string };
}

export const initialSession = (): SessionData => ({});
