import { describe, expect, it } from 'vitest';
import { type KeelModule, ModuleGraphError, orderModules } from './index.js';

const mod = (name: string, layer: KeelModule['layer'], dependsOn: string[] = []): KeelModule => ({
  name,
  layer,
  dependsOn,
});

describe('module graph', () => {
  it('orders modules so that dependencies come first', () => {
    const order = orderModules([
      mod('commits', 'module', ['llm', 'kernel']),
      mod('llm', 'shared', ['kernel']),
      mod('kernel', 'kernel'),
    ]);
    expect(order.map((m) => m.name)).toEqual(['kernel', 'llm', 'commits']);
  });

  it('refuses a dependency that points up', () => {
    expect(() => orderModules([mod('kernel', 'kernel', ['llm']), mod('llm', 'shared')])).toThrow(
      /dependencies point down/,
    );
  });

  it('refuses cycles, unknown dependencies and duplicates', () => {
    expect(() => orderModules([mod('a', 'module', ['b']), mod('b', 'module', ['a'])])).toThrow(
      ModuleGraphError,
    );
    expect(() => orderModules([mod('a', 'module', ['b']), mod('b', 'module', ['a'])])).toThrow(
      /cycle: a → b → a/,
    );
    expect(() => orderModules([mod('a', 'module', ['ghost'])])).toThrow(/unknown module "ghost"/);
    expect(() => orderModules([mod('a', 'module'), mod('a', 'module')])).toThrow(/declared twice/);
  });
});
