// Open311 GeoReport v2 answers in the format the URL asks for (.json or .xml): JSON arrays, or XML
// built by fast-xml-parser's XMLBuilder (escaped by the library, never string-built). Errors are the
// spec's list of {code, description} in the same format, whatever the status (400…429, 500).
import type { Request, Response } from "express";
import { XMLBuilder } from "fast-xml-parser";

export type Format = "json" | "xml";

/** "services.xml" → ["services", "xml"]; no or another extension → null. */
export function splitFormat(file: string): [string, Format] | null {
  const m = /^(.+)\.(json|xml)$/.exec(file);
  return m ? [m[1]!, m[2] as Format] : null;
}

/** The format a request asked for (for errors too): .xml → xml, anything else json. */
export const formatOf = (req: Request): Format => (/\.xml$/i.test(req.path) ? "xml" : "json");

const builder = new XMLBuilder({ ignoreAttributes: true, suppressEmptyNode: false, processEntities: true });

/** Nulls become empty elements; arrays under a wrapper repeat their item element. */
function forXml(v: unknown): unknown {
  if (v === null || v === undefined) return "";
  if (Array.isArray(v)) return v.map(forXml);
  if (typeof v === "object") return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, forXml(x)]));
  return v;
}

export function xmlDocument(root: string, body: unknown): string {
  return `<?xml version="1.0" encoding="utf-8"?>\n${builder.build({ [root]: forXml(body) })}`;
}

/**
 * Sends a list the way GeoReport wraps it: JSON `[item, …]`; XML `<root><item>…</item>…</root>`.
 * `xmlItem` may reshape an item for XML (lists inside an item need their own wrapper element).
 */
export function sendList<T>(res: Response, fmt: Format, status: number, root: string, item: string, rows: T[], xmlItem: (r: T) => unknown = (r) => r) {
  if (fmt === "json") return void res.status(status).json(rows);
  res
    .status(status)
    .type("application/xml; charset=utf-8")
    .send(xmlDocument(root, { [item]: rows.map(xmlItem) }));
}

/** One object (discovery, a service definition). */
export function sendOne(res: Response, fmt: Format, root: string, json: unknown, xml: unknown = json) {
  if (fmt === "json") return void res.json(json);
  res.type("application/xml; charset=utf-8").send(xmlDocument(root, xml));
}

export function sendErrors(res: Response, fmt: Format, status: number, description: string) {
  sendList(res, fmt, status, "errors", "error", [{ code: status, description }]);
}
