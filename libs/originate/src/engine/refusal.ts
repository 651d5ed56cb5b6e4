/** A decided failure before anything answered: the requester gets it as the error reply, and originate_failed goes out. */
export class Refusal {
  constructor(
    readonly cause: string,
    readonly reason: string,
  ) {}
}
