import { LegworkError } from '@legwork/common';

/** One reason a message was refused: the wire field (e.g. `Endpoints[0].Invite-Format`) and why. */
export interface ContractIssue {
  field: string;
  rule: string;
}

/** A message that does not satisfy its contract; travels into REST 400 bodies and dead-letter headers. */
export class ContractError extends LegworkError {
  readonly issues: ContractIssue[];

  constructor(messageName: string, issues: ContractIssue[]) {
    const summary = issues.map((i) => `${i.field}: ${i.rule}`).join('; ');
    super('invalid_message', `invalid ${messageName}: ${summary}`, { message: messageName, issues });
    this.issues = issues;
  }
}

/** A reply or command was built without the queue it must be routed to. */
export class MissingRouteError extends LegworkError {
  constructor(messageName: string, needed: string) {
    super('missing_route', `${messageName} needs ${needed} to be routed`, { message: messageName, needed });
  }
}
