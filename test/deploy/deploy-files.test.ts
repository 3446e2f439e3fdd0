// The deployment files an operator uses (Dockerfile, deploy/compose.yaml, deploy/k8s, deploy/systemd,
// the nginx config), checked offline: no image registry, Docker engine or cluster is reachable here.
// What can be checked is: the image is built the way docs/operating.md says, every variable the files
// set is one the service reads, every npm script they run exists, kustomize renders objects that the
// Kubernetes schemas accept with the probes, replicas and budgets the guide promises, and systemd
// accepts the units.
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse, parseAllDocuments } from "yaml";
import { CONFIG_VARIABLES } from "../../core/config.ts";
import { KEEP_ALIVE_MS } from "../../api/listen.ts";
import { skipBecause } from "../helpers/skip.ts";
import { Deployment } from "kubernetes-models/apps/v1/Deployment";
import { Job } from "kubernetes-models/batch/v1/Job";
import { CronJob } from "kubernetes-models/batch/v1/CronJob";
import { Service } from "kubernetes-models/v1/Service";
import { Namespace } from "kubernetes-models/v1/Namespace";
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import { PersistentVolumeClaim } from "kubernetes-models/v1/PersistentVolumeClaim";
import { Ingress } from "kubernetes-models/networking.k8s.io/v1/Ingress";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1/PodDisruptionBudget";

const ROOT = path.resolve(import.meta.dirname, "../..");
const read = (f: string) => fs.readFileSync(path.join(ROOT, f), "utf8");
const scripts = Object.keys((JSON.parse(read("package.json")) as { scripts: Record<string, string> }).scripts);
const has = (cmd: string) => spawnSync("sh", ["-c", `command -v ${cmd}`]).status === 0;
/** Variables the platform itself sets, not the service's configuration. */
const NOT_CONFIG = new Set(["POSTGRES_USER", "POSTGRES_DB", "POSTGRES_PASSWORD"]);

/** `npm run X` / `npm start` in a command line → the script names it needs. */
function npmScripts(command: string): string[] {
  return [...command.matchAll(/npm (?:run ([\w:-]+)|(start))/g)].map((m) => m[1] ?? m[2]!);
}

describe("Dockerfile", () => {
  const lines = read("Dockerfile").split("\n");
  const stages = lines.map((l, i) => [l, i] as const).filter(([l]) => /^FROM /.test(l));
  const final = lines.slice(stages.at(-1)![1]).join("\n");

  it("is multi-stage and the final stage installs production dependencies only, as a non-root user", () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(final).toMatch(/npm ci --omit=dev/);
    const user = /^USER (\S+)/m.exec(final)?.[1];
    expect(user).toBeDefined();
    expect(["root", "0"]).not.toContain(user);
  });

  it("carries the CJK font for the PDFs, pg_dump for PostgreSQL backups, and a health check on /readyz", () => {
    expect(final).toMatch(/fonts-wqy-zenhei/);
    expect(final).toMatch(/postgresql-client/);
    expect(final).toMatch(/HEALTHCHECK[\s\S]*\/readyz/);
    expect(read("core/config.ts")).toContain("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"); // the path that package installs
  });

  it("copies only paths that exist, and runs scripts that exist", () => {
    for (const m of final.matchAll(/^COPY --from=build (.+) \S+$/gm)) {
      for (const src of m[1]!.split(/\s+/)) expect(fs.existsSync(path.join(ROOT, src.replace(/^\/app\//, "")) ) || src.includes("generated"), src).toBe(true);
    }
    const cmd = /^CMD (.+)$/m.exec(final)![1]!;
    for (const s of npmScripts((JSON.parse(cmd) as string[]).join(" "))) expect(scripts).toContain(s);
  });

  it(".dockerignore keeps out installed packages, local data and secrets", () => {
    const ignored = read(".dockerignore").split("\n").map((l) => l.trim());
    for (const p of ["node_modules", "data", ".env", "core/db/generated"]) expect(ignored).toContain(p);
  });
});

describe("deploy/compose.yaml", () => {
  const compose = parse(read("deploy/compose.yaml"), { merge: true }) as {
    services: Record<string, { command?: string[]; environment?: Record<string, string>; deploy?: { replicas?: number }; depends_on?: Record<string, { condition: string }>; volumes?: string[] }>;
    volumes: Record<string, unknown>;
  };
  const s = compose.services;

  it("runs PostgreSQL, one migration run, two web processes, one worker and a proxy", () => {
    expect(Object.keys(s).sort()).toEqual(["migrate", "postgres", "proxy", "web", "worker"]);
    expect(s.migrate!.command).toEqual(["npm", "run", "migrate"]);
    expect(s.web!.deploy?.replicas).toBe(2);
    expect(s.web!.environment!.PROCESS_ROLE).toBe("web");
    expect(s.worker!.environment!.PROCESS_ROLE).toBe("worker");
    expect(s.web!.depends_on!.migrate!.condition).toBe("service_completed_successfully");
    expect(s.migrate!.depends_on!.postgres!.condition).toBe("service_healthy");
    for (const role of ["web", "worker"]) expect(s[role]!.environment!.MIGRATE_ON_START).toBe("false");
  });

  it("keeps the database, photos, rule edits and backups in named volumes", () => {
    expect(Object.keys(compose.volumes).sort()).toEqual(["backups", "data", "pgdata"]);
    expect(s.web!.volumes).toEqual(expect.arrayContaining(["data:/data", "backups:/backups"]));
    expect(s.web!.environment!.RULES_DIR).toMatch(/^\/data\//);
  });

  it("sets only variables the service reads, and mounts a proxy config that exists", () => {
    for (const name of ["web", "worker", "migrate"]) {
      for (const key of Object.keys(s[name]!.environment ?? {})) expect(CONFIG_VARIABLES, `${name}: ${key}`).toContain(key);
    }
    const mount = s.proxy!.volumes!.find((v) => v.includes("nginx"))!.split(":")[0]!;
    expect(fs.existsSync(path.join(ROOT, "deploy", mount))).toBe(true);
    for (const line of read("deploy/env.example").split("\n")) {
      const key = /^#?\s*([A-Z][A-Z0-9_]+)=/.exec(line)?.[1];
      if (key && !NOT_CONFIG.has(key)) expect(CONFIG_VARIABLES, key).toContain(key);
    }
  });
});

describe("deploy/nginx/estate-frontdoor.conf", () => {
  const conf = read("deploy/nginx/estate-frontdoor.conf");
  it("passes the client's address and scheme, allows six photos, and idles upstream below the service's keep-alive", () => {
    expect(conf).toMatch(/proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;/);
    expect(conf).toMatch(/proxy_set_header X-Forwarded-Proto \$scheme;/);
    const body = Number(/client_max_body_size (\d+)m;/.exec(conf)![1]);
    expect(body).toBeGreaterThanOrEqual(6 * 10);
    const idle = Number(/keepalive_timeout (\d+)s;/.exec(conf)![1]);
    expect(idle * 1000).toBeLessThan(KEEP_ALIVE_MS);
  });
});

describe.skipIf(skipBecause(!has("kubectl"), "needs kubectl (kustomize) on PATH"))("deploy/k8s (kubectl kustomize)", () => {
  const rendered = execFileSync("kubectl", ["kustomize", path.join(ROOT, "deploy/k8s")], { encoding: "utf8" });
  // biome-ignore lint: objects of many kinds
  const objects = parseAllDocuments(rendered).map((d) => d.toJSON() as any);
  const byKind = (kind: string) => objects.filter((o) => o.kind === kind);
  const models: Record<string, new (o: never) => { validate(): void }> = {
    Namespace, ConfigMap, PersistentVolumeClaim, Deployment, Job, CronJob, Service, Ingress, PodDisruptionBudget,
  };

  it("renders only kinds the guide names, each valid against the Kubernetes schema", () => {
    expect(objects.map((o) => o.kind).sort()).toEqual(
      ["ConfigMap", "CronJob", "Deployment", "Deployment", "Ingress", "Job", "Namespace", "PersistentVolumeClaim", "PersistentVolumeClaim", "PodDisruptionBudget", "Service"].sort(),
    );
    for (const o of objects) {
      const Model = models[o.kind];
      expect(Model, o.kind).toBeDefined();
      expect(() => new Model!(o as never).validate(), `${o.kind}/${o.metadata.name}`).not.toThrow();
    }
    // A broken object is caught: the check is not a formality.
    const bad = structuredClone(byKind("Deployment")[0]);
    bad.spec.replicas = "two";
    expect(() => new Deployment(bad).validate()).toThrow();
  });

  it("web: two or more replicas with readiness on /readyz and liveness on /healthz, under a disruption budget", () => {
    const web = byKind("Deployment").find((d) => d.metadata.name.endsWith("-web"))!;
    expect(web.spec.replicas).toBeGreaterThanOrEqual(2);
    const c = web.spec.template.spec.containers[0];
    expect(c.readinessProbe.httpGet.path).toBe("/readyz");
    expect(c.livenessProbe.httpGet.path).toBe("/healthz");
    expect(c.env).toEqual(expect.arrayContaining([{ name: "PROCESS_ROLE", value: "web" }]));
    expect(web.spec.template.spec.securityContext.runAsNonRoot).toBe(true);
    const pdb = byKind("PodDisruptionBudget")[0];
    expect(pdb.spec.selector.matchLabels).toEqual(web.spec.selector.matchLabels);
    const svc = byKind("Service")[0];
    expect(svc.spec.selector).toEqual(web.spec.selector.matchLabels);
    const ingress = byKind("Ingress")[0];
    expect(ingress.spec.rules[0].http.paths[0].backend.service.name).toBe(svc.metadata.name);
  });

  it("worker, migration Job and backup CronJob run the npm scripts that exist, with config and secrets by reference", () => {
    const worker = byKind("Deployment").find((d) => d.metadata.name.endsWith("-worker"))!;
    expect(worker.spec.template.spec.containers[0].env).toEqual(expect.arrayContaining([{ name: "PROCESS_ROLE", value: "worker" }]));
    const job = byKind("Job")[0];
    const backup = byKind("CronJob")[0];
    const commands = [job.spec.template.spec.containers[0].command, backup.spec.jobTemplate.spec.template.spec.containers[0].command].map((c: string[]) => c.join(" "));
    expect(commands[0]).toBe("npm run migrate");
    expect(commands[1]).toMatch(/npm run backup/);
    for (const c of commands) for (const s of npmScripts(c)) expect(scripts).toContain(s);
    const config = byKind("ConfigMap")[0];
    for (const key of Object.keys(config.data)) expect(CONFIG_VARIABLES, key).toContain(key);
    expect(config.data.MIGRATE_ON_START).toBe("false");
    for (const pod of [worker.spec.template.spec, job.spec.template.spec, backup.spec.jobTemplate.spec.template.spec]) {
      const refs = pod.containers[0].envFrom.map((e: { configMapRef?: { name: string }; secretRef?: { name: string } }) => e.configMapRef?.name ?? e.secretRef?.name);
      expect(refs).toEqual([config.metadata.name, "estate-frontdoor-secrets"]);
    }
    expect(objects.some((o) => o.kind === "Secret")).toBe(false); // secrets are the operator's, never in the repo
  });
});

describe.skipIf(skipBecause(!has("systemd-analyze"), "needs systemd-analyze on PATH"))("deploy/systemd", () => {
  const dir = path.join(ROOT, "deploy/systemd");
  const units = fs.readdirSync(dir).map((f) => path.join(dir, f));

  it("systemd-analyze verify accepts every unit without a word", () => {
    const r = spawnSync("systemd-analyze", ["verify", ...units], { encoding: "utf8" });
    expect(r.stderr + r.stdout).toBe("");
    expect(r.status).toBe(0);
  });

  it("a broken unit is reported (the check is not a formality)", () => {
    const tmp = fs.mkdtempSync(path.join(ROOT, "test-artifacts-systemd-"));
    try {
      const f = path.join(tmp, "broken.service");
      fs.writeFileSync(f, "[Service]\nExecStart=relative/path\nRestart=sometimes\n");
      const r = spawnSync("systemd-analyze", ["verify", f], { encoding: "utf8" });
      expect(r.stderr + r.stdout).not.toBe("");
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  it("the web and worker units start the roles the guide names, after the migration unit", () => {
    const web = read("deploy/systemd/estate-frontdoor-web.service");
    const worker = read("deploy/systemd/estate-frontdoor-worker.service");
    expect(web).toMatch(/PROCESS_ROLE=web/);
    expect(worker).toMatch(/PROCESS_ROLE=worker/);
    for (const u of [web, worker]) {
      expect(u).toMatch(/Requires=estate-frontdoor-migrate.service/);
      expect(u).toMatch(/MIGRATE_ON_START=false/);
    }
    for (const f of units) for (const s of npmScripts(fs.readFileSync(f, "utf8"))) expect(scripts).toContain(s);
  });
});
