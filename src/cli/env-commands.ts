import { Command, Option } from 'commander';
import { ENVIRONMENTS, ENV_COMMAND_VERBS, type EnvCommand, type EnvCommandVerb } from '../envs/index.js';

/**
 * The generic verbs environments add commands under (`sparselaw compare ENV`, `sparselaw
 * search-law ENV`): one subcommand per environment that has the verb, its options built from the
 * environment's declaration, so each has its own --help.
 */
export function register(program: Command): void {
  for (const verb of Object.keys(ENV_COMMAND_VERBS) as EnvCommandVerb[]) {
    const owners = ENVIRONMENTS.filter((e) => e.commands?.[verb] !== undefined);
    if (owners.length === 0) continue;
    const parent = program
      .command(verb)
      .description(`${ENV_COMMAND_VERBS[verb]} (${owners.map((e) => e.id).join(', ')})`)
      .usage('<environment> [options]');
    for (const entry of owners) addEnvCommand(parent, entry.id, entry.commands![verb]!, verb);
  }
}

function addEnvCommand(parent: Command, id: string, spec: EnvCommand, verb: string): void {
  const command = parent.command(id).description(spec.description);
  for (const o of spec.options) {
    const option = new Option(`--${o.name}${o.value ? ` <${o.value}>` : ''}`, o.description);
    if (o.required) option.makeOptionMandatory();
    command.addOption(option);
  }
  command.action(async (_options: unknown, cmd: Command) => {
    const given = cmd.opts<Record<string, string | true | undefined>>();
    // Commander camel-cases option names; the environment declared them as typed.
    const values = Object.fromEntries(spec.options.map((o) => [o.name, given[camel(o.name)]]));
    const typed = spec.options.flatMap((o) => (values[o.name] === undefined ? [] : values[o.name] === true ? [`--${o.name}`] : [`--${o.name}`, shellWord(values[o.name] as string)]));
    await spec.run(values, ['sparselaw', verb, id, ...typed]);
  });
}

const camel = (name: string): string => name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

/** A value as a shell word: as it is when it needs no quoting, else in single quotes. */
function shellWord(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, "'\\''")}'`;
}
