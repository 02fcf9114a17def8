// Using the library API: runHunt never prints or exits; you decide what to do with the report.
import { runHunt } from '@crosstalk/leak-hunter'

export async function huntHomepage(signal?: AbortSignal): Promise<number> {
  const report = await runHunt(
    {
      scenario: new URL('./homepage/scenario.yaml', import.meta.url).pathname,
      overrides: { vus: 8, duration: '10s' },
    },
    {
      onProgress: (p) =>
        console.error(`${p.requests} requests, ${p.leakingResponses} leaking responses`),
      onEvent: (e) => {
        if (e.type === 'finding' && e.finding.severity === 'leak') {
          console.error(
            `leak: ${e.finding.owner.id} saw ${e.finding.foreign.map((f) => f.id).join(', ')}`
          )
        }
      },
      ...(signal === undefined ? {} : { signal }),
    }
  )
  return report.exitCode
}
