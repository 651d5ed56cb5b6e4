import { LegworkError } from '@legwork/common';

export type DirectoryErrorCode = 'not_found' | 'conflict' | 'invalid_document' | 'unauthorized' | 'forbidden';

/** One failed validation rule, named the way Kazoo reports them (`sip.username` / `required`). */
export interface FieldViolation {
  field: string;
  rule: string;
  message: string;
}

export class DirectoryError extends LegworkError<DirectoryErrorCode> {
  static notFound(kind: string, id: string): DirectoryError {
    return new DirectoryError('not_found', `${kind} ${id} not found`, { kind, id });
  }

  static conflict(field: string, message: string, details: Record<string, unknown> = {}): DirectoryError {
    return new DirectoryError('conflict', message, { field, ...details });
  }

  static invalid(violations: FieldViolation[]): DirectoryError {
    const [first] = violations;
    const message = first ? `${first.field}: ${first.message}` : 'invalid document';
    return new DirectoryError('invalid_document', message, {
      field: first?.field,
      rule: first?.rule,
      errors: violations,
    });
  }

  static invalidField(field: string, rule: string, message: string): DirectoryError {
    return DirectoryError.invalid([{ field, rule, message }]);
  }

  /** The violations of an `invalid_document` error (empty for other codes). */
  get violations(): FieldViolation[] {
    const errors = this.details['errors'];
    return Array.isArray(errors) ? (errors as FieldViolation[]) : [];
  }
}

export function isDirectoryError(err: unknown, code?: DirectoryErrorCode): err is DirectoryError {
  return err instanceof DirectoryError && (code === undefined || err.code === code);
}
