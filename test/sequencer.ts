// Longest files first, so the two workers finish together: a long file started last is the run's
// tail. vitest would order by its cache of last durations, but CI runs on a clean clone (no cache),
// and the PostgreSQL pass would read the PGlite pass's entries, where its PostgreSQL-only files were
// skipped in milliseconds — so they ran last. Durations per back-end come from test/durations.json
// (rewritten by `TEST_RECORD_DURATIONS=1 npm test`); a file not in it runs first.
import path from "node:path";
import { BaseSequencer, type TestSpecification } from "vitest/node";
import durations from "./durations.json" with { type: "json" };

export default class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const seconds: Record<string, number> = durations[process.env.TEST_DATABASE_URL ? "postgres" : "pglite"];
    const of = (file: TestSpecification) => seconds[path.relative(process.cwd(), file.moduleId)] ?? Number.MAX_VALUE;
    return [...files].sort((a, b) => of(b) - of(a) || (a.moduleId < b.moduleId ? -1 : 1));
  }
}
