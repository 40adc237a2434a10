// The Kubernetes manifest, checked against the Kubernetes API schema (kubernetes-models), the app's own
// configuration loader, @plinth/deploy's probe paths and the Dockerfile, so none of them drift apart.
import { existsSync, readFileSync } from 'node:fs';
import { loadConfig } from '@plinth/config';
import { createHealth } from '@plinth/deploy';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { Service } from 'kubernetes-models/v1/Service';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { definition } from '../src/config.js';

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string } };
}
interface Probe {
  httpGet: { path: string; port: string | number };
}
interface Container {
  name: string;
  image: string;
  command?: string[];
  args?: string[];
  ports?: { name: string; containerPort: number }[];
  env: EnvVar[];
  startupProbe?: Probe;
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  resources: { requests: Record<string, string>; limits: Record<string, string> };
}
interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  spec: Record<string, unknown> & {
    selector?: { matchLabels?: Record<string, string> } & Record<string, string>;
    template?: {
      metadata: { labels: Record<string, string> };
      spec: {
        terminationGracePeriodSeconds: number;
        securityContext: { runAsUser: number; runAsNonRoot: boolean };
        containers: Container[];
      };
    };
  };
}

const file = (path: string) => readFileSync(new URL(path, import.meta.url), 'utf8');
const documents = parseAllDocuments(file('./k8s.yaml')).map((document) => {
  expect(document.errors).toEqual([]);
  return document.toJS() as Manifest;
});
const find = (kind: string, name: string) => {
  const found = documents.find((each) => each.kind === kind && each.metadata.name === name);
  if (found === undefined) throw new Error(`k8s.yaml has no ${kind} ${name}`);
  return found;
};
const web = find('Deployment', 'plinth-reference-web');
const worker = find('Deployment', 'plinth-reference-worker');
const pod = (deployment: Manifest) => deployment.spec.template?.spec ?? expect.fail('no pod template');
const container = (deployment: Manifest) => pod(deployment).containers[0] ?? expect.fail('no container');
const literalEnv = (deployment: Manifest) =>
  Object.fromEntries(
    container(deployment).env.flatMap((each) => (each.value === undefined ? [] : [[each.name, each.value]])),
  );

// The Dockerfile's exec-form instruction, e.g. CMD ["node", "dist/main.js"].
const dockerfile = file('../Dockerfile');
function execForm(instruction: string): string[] {
  const line = dockerfile.match(new RegExp(`^${instruction} (\\[.*\\])$`, 'm'))?.[1];
  return JSON.parse(line ?? expect.fail(`the Dockerfile has no exec-form ${instruction}`));
}

describe('apps/reference/deploy/k8s.yaml', () => {
  it('is valid against the Kubernetes API schema, object by object', () => {
    const models = {
      Deployment,
      Service,
      HorizontalPodAutoscaler,
      PodDisruptionBudget,
    } as const;
    expect(documents.map((each) => each.kind).sort()).toEqual([
      'Deployment',
      'Deployment',
      'HorizontalPodAutoscaler',
      'PodDisruptionBudget',
      'Service',
    ]);
    for (const document of documents) {
      const Model = models[document.kind as keyof typeof models];
      expect(() => new Model(document as never).validate(), document.metadata.name).not.toThrow();
    }
    // The validator is not a formality: a grace period written as a string is refused.
    const broken = structuredClone(web);
    (pod(broken) as { terminationGracePeriodSeconds: unknown }).terminationGracePeriodSeconds = '40s';
    expect(() => new Deployment(broken as never).validate()).toThrow(/terminationGracePeriodSeconds/);
  });

  it("gives web a grace period longer than READINESS_DELAY + SHUTDOWN_TIMEOUT as the app's config reads them", () => {
    // The app's own loader, fed the manifest's literal env (secrets are optional in the schema).
    const config = loadConfig({ ...definition, env: literalEnv(web), envFiles: false });
    const drain = config.READINESS_DELAY + config.SHUTDOWN_TIMEOUT;
    expect(pod(web).terminationGracePeriodSeconds * 1000).toBeGreaterThan(drain);
    // ...and longer than the defaults too, should someone drop the env vars.
    const defaults = loadConfig({ ...definition, env: {}, envFiles: false });
    expect(pod(web).terminationGracePeriodSeconds * 1000).toBeGreaterThan(
      defaults.READINESS_DELAY + defaults.SHUTDOWN_TIMEOUT,
    );
    // A delay is what lets endpoints update before the server stops accepting (instead of a preStop sleep).
    expect(config.READINESS_DELAY).toBeGreaterThanOrEqual(5_000);
    expect(config.NODE_ENV).toBe('production');
  });

  it('sets only variables the app declares, and takes DATABASE_URL, REDIS_URL and JWT_SECRET from a Secret', () => {
    const declared = Object.keys(definition.schema.shape);
    const env = container(web).env;
    for (const { name } of env) expect(declared, `${name} is declared in src/config.ts`).toContain(name);
    for (const name of ['DATABASE_URL', 'REDIS_URL', 'JWT_SECRET']) {
      const variable = env.find((each) => each.name === name);
      expect(variable?.value, `${name} is not written in the manifest`).toBeUndefined();
      expect(variable?.valueFrom?.secretKeyRef).toEqual({ name: 'plinth-reference', key: name });
    }
    expect(container(worker).env.find((each) => each.name === 'REDIS_URL')?.valueFrom?.secretKeyRef).toEqual({
      name: 'plinth-reference',
      key: 'REDIS_URL',
    });
  });

  it('gives the worker a grace period longer than its SHUTDOWN_TIMEOUT plus the time worker.ts adds', () => {
    const source = file('../src/worker.ts');
    const extra = source.match(/timeout: config\.SHUTDOWN_TIMEOUT \+ ([\d_]+)/)?.[1];
    expect(extra, 'src/worker.ts gives createShutdown SHUTDOWN_TIMEOUT + n ms').toBeDefined();
    const timeout = Number(literalEnv(worker).SHUTDOWN_TIMEOUT);
    expect(Number.isInteger(timeout)).toBe(true);
    expect(pod(worker).terminationGracePeriodSeconds * 1000).toBeGreaterThan(
      timeout + Number(extra?.replaceAll('_', '')),
    );
  });

  it("probes the paths @plinth/deploy's health endpoints answer, on the port the app listens on", async () => {
    const health = createHealth();
    const probes = container(web);
    expect(probes.startupProbe?.httpGet.path).toBe(health.paths.startup);
    expect(probes.readinessProbe?.httpGet.path).toBe(health.paths.readiness);
    expect(probes.livenessProbe?.httpGet.path).toBe(health.paths.liveness);
    health.markStarted();
    for (const probe of [probes.startupProbe, probes.readinessProbe, probes.livenessProbe]) {
      expect(probe?.httpGet.port).toBe('http');
      const response = await health.fetch(new Request(`http://pod${probe?.httpGet.path}`));
      expect(response.status, probe?.httpGet.path).toBe(200);
    }
    const port = probes.ports?.find((each) => each.name === 'http')?.containerPort;
    expect(dockerfile).toMatch(new RegExp(`^EXPOSE ${port}$`, 'm'));
    expect(Number(literalEnv(web).PORT ?? 3000)).toBe(port);
    // The image's own HEALTHCHECK probes the same liveness path.
    expect(dockerfile).toContain(`+'${health.paths.liveness}'`);
  });

  it("runs the Dockerfile's image: web on its CMD, the worker on the same command with dist/worker.js", () => {
    const cmd = execForm('CMD');
    expect(cmd).toContain('dist/main.js');
    expect(container(web).command).toBeUndefined();
    expect(container(web).args).toBeUndefined();
    expect(container(worker).command).toEqual(
      cmd.map((arg) => (arg === 'dist/main.js' ? 'dist/worker.js' : arg)),
    );
    expect(container(worker).image).toBe(container(web).image);
    // The image name the Dockerfile's build comment tags.
    const tag = dockerfile.match(/docker build -f \S+ -t (\S+) \./)?.[1];
    expect(container(web).image).toMatch(new RegExp(`/${tag}:[\\w.-]+$`));
    // dist/worker.js is built from src/worker.ts by the app's tsup entries.
    expect(existsSync(new URL('../src/worker.ts', import.meta.url))).toBe(true);
    expect(file('../tsup.config.ts'), 'tsup.config.ts has src/worker.ts among its entries').toContain(
      'src/worker.ts',
    );
    // USER node in the image is uid 1000; the pods insist on it.
    expect(dockerfile).toMatch(/^USER node$/m);
    for (const deployment of [web, worker]) {
      expect(pod(deployment).securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000 });
      expect(container(deployment).resources.requests).toHaveProperty('cpu');
      expect(container(deployment).resources.limits).toHaveProperty('memory');
    }
  });

  it('puts only web pods behind the Service, the autoscaler and the disruption budget', () => {
    const webLabels = web.spec.template?.metadata.labels;
    const workerLabels = worker.spec.template?.metadata.labels;
    const selects = (
      selector: Record<string, string> | undefined,
      labels: Record<string, string> | undefined,
    ) => Object.entries(selector ?? {}).every(([key, value]) => labels?.[key] === value);
    const service = find('Service', 'plinth-reference');
    const budget = find('PodDisruptionBudget', 'plinth-reference-web');
    for (const selector of [service.spec.selector, budget.spec.selector?.matchLabels]) {
      expect(selects(selector as Record<string, string>, webLabels)).toBe(true);
      expect(selects(selector as Record<string, string>, workerLabels)).toBe(false);
    }
    expect((service.spec.ports as { targetPort: string }[])[0]?.targetPort).toBe('http');
    expect(find('HorizontalPodAutoscaler', 'plinth-reference-web').spec.scaleTargetRef).toMatchObject({
      kind: 'Deployment',
      name: web.metadata.name,
    });
  });
});
