// The dashboard's directory (基础资料): estates, companies and liaisons, offices with their delivery
// status, streets, and the spreadsheet import with its preview. Form posts carry the session's CSRF
// token (the import's multipart post checks it after multer has read the fields).
import express, { type Router } from "express";
import type { Db } from "../../../core/db/db.ts";
import type { Logger } from "../../../core/logger.ts";
import type { Auth } from "../../auth.ts";
import type { OfficeAppDeps } from "../../office.ts";
import { DIR, form } from "./common.tsx";
import { estatePages } from "./estates.tsx";
import { companyPages } from "./companies.tsx";
import { officePages } from "./offices.tsx";
import { streetPages } from "./streets.tsx";
import { importPages } from "./import.tsx";

export { DIR as DIRECTORY_PATH };

export function directoryPages(db: Db, d: OfficeAppDeps, auth: Auth, log: Logger): Router {
  const r = express.Router();
  r.get("/directory", (_req, res) => res.redirect(303, `${DIR}/estates`));
  // Every urlencoded form post checks CSRF before its handler (multipart: the import checks it itself).
  r.post(/^\/directory\/(?!import\/preview$)/, form, auth.requireCsrf);
  const sub = express.Router();
  sub.use(estatePages(db, d), companyPages(db, d), officePages(db, d), streetPages(db, d), importPages(db, d, auth, log));
  r.use("/directory", sub);
  return r;
}
