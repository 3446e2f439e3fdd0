// vitest globalSetup: the one migrated template the run's test databases are copied from
// (test/helpers/template.ts). Made for the back-end the run uses, dropped when the run ends.
import { makePgliteTemplate, makePgTemplate, PG_TEMPLATE_ENV, PGLITE_TEMPLATE_ENV } from "./helpers/template.ts";

export default async function setup(): Promise<() => Promise<void>> {
  const base = process.env.TEST_DATABASE_URL;
  if (base) {
    const template = await makePgTemplate(base);
    process.env[PG_TEMPLATE_ENV] = template.name;
    return () => template.drop();
  }
  const template = await makePgliteTemplate();
  process.env[PGLITE_TEMPLATE_ENV] = template.file;
  return () => template.drop();
}
