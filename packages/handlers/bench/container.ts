// "Resolve a scoped graph of 10 services per request": one new scope, ten scoped services in a
// chain (each takes the previous one and the singleton Config), one singleton — for @plinth/handlers,
// awilix, tsyringe, typed-inject and hand-written `new` calls.
import 'reflect-metadata';
import { asFunction, asValue, createContainer as createAwilix } from 'awilix';
import { instancePerContainerCachingFactory, container as tsyringe } from 'tsyringe';
import { createInjector, Scope as InjectScope } from 'typed-inject';
import { createContainer, type Token, token } from '../src/index.js';
import type { Subject } from './measure.js';

class Config {
  readonly url = 'postgres://bench';
}
class Service {
  constructor(
    readonly previous: Service | undefined,
    readonly config: Config,
  ) {}
}

const COUNT = 10;

function plinth(): Subject {
  const ConfigToken = token<Config>('Config');
  const tokens: Token<Service>[] = Array.from({ length: COUNT }, (_, index) =>
    token<Service>(`S${index + 1}`),
  );
  const container = createContainer().singleton(ConfigToken, () => new Config());
  tokens.forEach((item, index) => {
    if (index === 0) container.scoped(item, [ConfigToken], (config) => new Service(undefined, config));
    else
      container.scoped(
        item,
        [tokens[index - 1] as Token<Service>, ConfigToken],
        (previous, config) => new Service(previous, config),
      );
  });
  const top = tokens[COUNT - 1] as Token<Service>;
  container.compile();
  return { name: '@plinth/handlers', run: () => container.createScope().resolve(top) };
}

function awilix(): Subject {
  const container = createAwilix();
  container.register({ config: asFunction(() => new Config()).singleton() });
  for (let index = 1; index <= COUNT; index++) {
    const previous = `s${index - 1}`;
    container.register({
      [`s${index}`]: asFunction(
        (cradle: Record<string, unknown>) =>
          new Service(index === 1 ? undefined : (cradle[previous] as Service), cradle.config as Config),
      ).scoped(),
    });
  }
  container.register({ unused: asValue(0) });
  return { name: 'awilix 13', run: () => container.createScope().resolve(`s${COUNT}`) };
}

function tsyringeSubject(): Subject {
  const root = tsyringe.createChildContainer();
  const config = new Config();
  root.register('config', { useValue: config });
  for (let index = 1; index <= COUNT; index++) {
    root.register(`s${index}`, {
      useFactory: instancePerContainerCachingFactory(
        (dependencies) =>
          new Service(
            index === 1 ? undefined : dependencies.resolve<Service>(`s${index - 1}`),
            dependencies.resolve<Config>('config'),
          ),
      ),
    });
  }
  return { name: 'tsyringe 4', run: () => root.createChildContainer().resolve(`s${COUNT}`) };
}

function typedInject(): Subject {
  const root = createInjector().provideFactory('config', () => new Config(), InjectScope.Singleton);
  const make = (previous: Service | undefined, config: Config) => new Service(previous, config);
  const first = (config: Config) => make(undefined, config);
  first.inject = ['config'] as const;
  const next = (previous: Service, config: Config) => make(previous, config);
  const inject = (name: string) => {
    const factory = (previous: Service, config: Config) => next(previous, config);
    factory.inject = [name, 'config'] as const;
    return factory;
  };
  const factories = Array.from({ length: COUNT - 1 }, (_, index) => inject(`s${index + 1}`));
  // typed-inject has no scoped lifetime: a request scope is a chain of child injectors.
  return {
    name: 'typed-inject 5',
    run: () => {
      // biome-ignore lint/suspicious/noExplicitAny: the chain's type grows with every provider
      let injector: any = root.provideFactory('s1', first, InjectScope.Singleton);
      factories.forEach((factory, index) => {
        injector = injector.provideFactory(`s${index + 2}`, factory, InjectScope.Singleton);
      });
      return injector.resolve(`s${COUNT}`);
    },
  };
}

function handWritten(): Subject {
  const config = new Config();
  return {
    name: 'plain new',
    run: () => {
      let service = new Service(undefined, config);
      for (let index = 1; index < COUNT; index++) service = new Service(service, config);
      return service;
    },
  };
}

/** The subjects, each checked to build the same graph before it is measured. */
export function containerSubjects(): Subject[] {
  const subjects = [plinth(), awilix(), tsyringeSubject(), typedInject(), handWritten()];
  for (const subject of subjects) {
    let depth = 0;
    for (
      let service = subject.run() as Service | undefined;
      service !== undefined;
      service = service.previous
    )
      depth++;
    if (depth !== COUNT) throw new Error(`${subject.name} built a chain of ${depth}, expected ${COUNT}`);
  }
  return subjects;
}
