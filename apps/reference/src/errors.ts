// The tracker's domain errors (@plinth/services DomainError) and the one table that turns them into
// HTTP statuses; the compiler checks the table covers every code.
import { sqlStateOf } from '@plinth/db';
import { DomainError, httpErrorMapping } from '@plinth/services';

/** Something the caller may not see does not exist for them: a team, project, task or user. */
export class NotFound extends DomainError<
  'TEAM_NOT_FOUND' | 'PROJECT_NOT_FOUND' | 'TASK_NOT_FOUND' | 'USER_NOT_FOUND'
> {}
/** The caller sees the resource but their role or the rules do not let them do this. */
export class NotAllowed extends DomainError<'NOT_ALLOWED' | 'OWNER_REQUIRED' | 'CLOSE_NOT_ALLOWED'> {}
/** The email is taken (in any case). */
export class EmailTaken extends DomainError<'EMAIL_TAKEN'> {}
/** The user is in the team already. */
export class AlreadyMember extends DomainError<'ALREADY_MEMBER'> {}
/** A task can only be assigned to a member of its team. */
export class AssigneeNotMember extends DomainError<'ASSIGNEE_NOT_MEMBER'> {}
/** Wrong email or password (which one is never said). */
export class InvalidCredentials extends DomainError<'INVALID_CREDENTIALS'> {}

export type TrackerError =
  | NotFound
  | NotAllowed
  | EmailTaken
  | AlreadyMember
  | AssigneeNotMember
  | InvalidCredentials;

/** DomainError → the http-errors shape every Plinth error handler answers as problem+json. */
export const toHttp = httpErrorMapping<TrackerError>({
  TEAM_NOT_FOUND: 404,
  PROJECT_NOT_FOUND: 404,
  TASK_NOT_FOUND: 404,
  USER_NOT_FOUND: 404,
  NOT_ALLOWED: 403,
  OWNER_REQUIRED: 403,
  CLOSE_NOT_ALLOWED: 403,
  EMAIL_TAKEN: 409,
  ALREADY_MEMBER: 409,
  ASSIGNEE_NOT_MEMBER: 422,
  INVALID_CREDENTIALS: { status: 401, headers: { 'www-authenticate': 'Bearer realm="api"' } },
});

/**
 * Whether a write failed on a unique constraint (SQLSTATE 23505). Inside a transaction the driver's
 * error reaches the service untranslated, so the code is read from the cause chain.
 */
export const isUniqueViolation = (error: unknown) => sqlStateOf(error) === '23505';
