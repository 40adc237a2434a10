// The container's tokens: what handler definitions ask for in `services`.

import { token } from '@plinth/handlers';
import type { LoginThrottle } from '@plinth/security';
import type { AccountService } from './accounts.js';
import type { AuthKit } from './auth.js';
import type { ClientRequest } from './client-address.js';
import type { TaskService } from './tasks.js';
import type { TeamService } from './teams.js';

export const Accounts = token<AccountService>('Accounts');
export const Teams = token<TeamService>('Teams');
export const Tasks = token<TaskService>('Tasks');
export const Auth = token<AuthKit>('Auth');

/** Brute-force protection of the login: failures per email + client, and how a request's client is keyed. */
export interface LoginGuard {
  throttle: LoginThrottle;
  /** The client key of a request (@plinth/http's context: its remoteAddress and forwarding headers). */
  clientKey(request: ClientRequest): string;
}
export const Login = token<LoginGuard>('Login');
