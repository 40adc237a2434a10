// Reading a generated Dockerfile in tests: exec-form arrays and the RUN lines of a stage.

/** The JSON exec-form array after `keyword` (continuation lines joined). */
export function execForm(dockerfile: string, keyword: 'CMD' | 'HEALTHCHECK'): string[] {
  const line = joinContinuations(dockerfile).find((entry) => entry.startsWith(`${keyword} `));
  return JSON.parse(line?.slice(line.indexOf('[')) ?? 'null') as string[];
}

/** The shell commands of the RUN lines of one stage, with BuildKit `--mount` flags removed. */
export function runCommands(dockerfile: string, stage: string): string[] {
  const lines = joinContinuations(dockerfile);
  const start = lines.findIndex((line) => line.startsWith('FROM ') && line.endsWith(` AS ${stage}`));
  const commands: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (line.startsWith('FROM ')) break;
    if (line.startsWith('RUN ')) commands.push(line.slice(4).replace(/--mount=\S+\s+/g, ''));
  }
  return commands;
}

function joinContinuations(dockerfile: string): string[] {
  return dockerfile.replace(/\\\n\s*/g, ' ').split('\n');
}
