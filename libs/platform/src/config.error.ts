import { LegworkError } from '@legwork/common';

export interface ConfigIssue {
  variable: string;
  message: string;
}

/** Thrown at boot when the environment does not describe a runnable app; main() prints it and exits 1. */
export class ConfigError extends LegworkError {
  constructor(
    message: string,
    readonly issues: ConfigIssue[] = [],
  ) {
    super('invalid_config', message, { issues });
  }

  static fromIssues(issues: ConfigIssue[]): ConfigError {
    const lines = issues.map((i) => `  ${i.variable}: ${i.message}`);
    return new ConfigError(`invalid configuration:\n${lines.join('\n')}`, issues);
  }
}
