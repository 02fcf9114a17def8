// Shards that run without coordination must assign accounts alike, so they need one seed. When
// none is given, it comes from the scenario's digest: the same for every shard of one scenario.
import { readScenarioFile } from '../scenario/load-scenario.js'
import type { ScenarioInput } from '../scenario/load-scenario.js'
import type { Scenario } from '../scenario/types.js'
import { scenarioDigest } from './digest.js'

async function seedGiven(input: ScenarioInput): Promise<boolean> {
  if (input.overrides?.seed !== undefined) {
    return true
  }
  const raw =
    typeof input.scenario === 'string' ? await readScenarioFile(input.scenario) : input.scenario
  const load = (raw as { load?: unknown } | null)?.load
  return (
    typeof load === 'object' && load !== null && (load as { seed?: unknown }).seed !== undefined
  )
}

/** `scenario` with a seed every shard shares, unless the input gave one. */
export async function withSharedSeed(scenario: Scenario, input: ScenarioInput): Promise<Scenario> {
  if (await seedGiven(input)) {
    return scenario
  }
  const seed = `shared-${scenarioDigest(scenario).slice('sha256:'.length, 'sha256:'.length + 12)}`
  const rawLoad = (scenario.raw.load ?? {}) as Record<string, unknown>
  return {
    ...scenario,
    load: { ...scenario.load, seed },
    raw: { ...scenario.raw, load: { ...rawLoad, seed } },
  }
}
