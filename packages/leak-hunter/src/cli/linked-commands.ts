// `leak-hunter coordinate` and `leak-hunter agent`: where Redis is, which run, how many agents,
// from the flags or the environment (LEAK_HUNTER_REDIS, LEAK_HUNTER_RUN_ID, LEAK_HUNTER_AGENTS),
// as a container's manifest sets them.
import { ArgsInvalidError } from '../errors.js'
import { coordinateHunt } from '../scale/coordinate-hunt.js'
import { runAgent } from '../scale/run-agent.js'
import { positiveInt } from './parse-argv.js'
import type { CliAgent, CliCoordinate, CliLink } from './parse-scale-argv.js'
import type { CliIo } from './run-cli.js'
import { EXIT_ABORTED, EXIT_UNREACHABLE, huntAndReport, scenarioInput } from './run-cli.js'

function linkOf(cli: CliLink, io: CliIo): { redisUrl: string; runId: string } {
  const redisUrl = cli.redis ?? io.env.LEAK_HUNTER_REDIS
  if (redisUrl === undefined || redisUrl === '') {
    throw new ArgsInvalidError(
      '--redis URL (or LEAK_HUNTER_REDIS) is required: the Redis server that links coordinator and agents'
    )
  }
  if (!/^rediss?:\/\//.test(redisUrl)) {
    throw new ArgsInvalidError(
      `--redis: expected redis://host:port or rediss://host:port, got "${redisUrl}"`
    )
  }
  return { redisUrl, runId: cli.runId ?? io.env.LEAK_HUNTER_RUN_ID ?? 'default' }
}

function timeouts(cli: CliLink): { joinTimeoutMs?: number; heartbeatTimeoutMs?: number } {
  return {
    ...(cli.waitMs === undefined ? {} : { joinTimeoutMs: cli.waitMs }),
    ...(cli.heartbeatTimeoutMs === undefined ? {} : { heartbeatTimeoutMs: cli.heartbeatTimeoutMs }),
  }
}

export async function runCoordinate(cli: CliCoordinate, io: CliIo): Promise<number> {
  const agents = cli.agents ?? positiveInt('agents', io.env.LEAK_HUNTER_AGENTS)
  if (agents === undefined) {
    throw new ArgsInvalidError(
      '--agents N (or LEAK_HUNTER_AGENTS) is required: the agents to wait for'
    )
  }
  const options = {
    ...scenarioInput(cli, io),
    ...linkOf(cli, io),
    agents,
    ...timeouts(cli),
    ...(cli.abortOnFail ? { abortOnFail: true } : {}),
  }
  return huntAndReport(cli, io, (hooks) => coordinateHunt(options, hooks))
}

export async function runAgentCommand(cli: CliAgent, io: CliIo): Promise<number> {
  const link = linkOf(cli, io)
  const result = await runAgent(
    {
      ...scenarioInput(cli, io),
      ...link,
      workers: cli.workers,
      ...timeouts(cli),
    },
    io.signal === undefined ? {} : { signal: io.signal }
  )
  if (!cli.quiet) {
    io.stderr.write(
      `leak-hunter agent: ran agent ${result.agent + 1} of ${result.agents} (${result.vus} VUs) of run "${link.runId}"${result.stopped === undefined ? '' : `; stopped: ${result.stopped}`}\n`
    )
  }
  // The verdict and its exit code are the coordinator's; an agent says whether it did its part.
  return result.interrupted ? EXIT_ABORTED : result.orphaned ? EXIT_UNREACHABLE : 0
}
