// The service layer's plumbing (@plinth/services): ambient transactions over the app's drizzle
// database and the transactional outbox every domain event goes through. The services themselves
// (accounts.ts, teams.ts, tasks.ts) are built on it.
import { createTransactions, type Transactions } from '@plinth/services';
import { createOutbox, type DrizzleHandle, drizzleRunner, type Outbox } from '@plinth/services/drizzle';
import { type AccountService, createAccountService } from './accounts.js';
import type { AuthKit } from './auth.js';
import type { AppDatabase } from './database.js';
import { createTaskService, type TaskService } from './tasks.js';
import { createTeamService, type TeamService } from './teams.js';

/** Ambient transactions whose `db()` is the app's drizzle database (or the open transaction). */
export type AppTransactions = Transactions<DrizzleHandle<AppDatabase>>;

/** Every service of the tracker, and the plumbing they share. */
export interface Services {
  transactions: AppTransactions;
  outbox: Outbox;
  accounts: AccountService;
  teams: TeamService;
  tasks: TaskService;
}

/** Builds the services on a migrated database. */
export function createServices(db: AppDatabase, auth: AuthKit): Services {
  const transactions = createTransactions(drizzleRunner(db));
  const outbox = createOutbox(transactions);
  return {
    transactions,
    outbox,
    accounts: createAccountService(transactions, auth),
    teams: createTeamService(transactions),
    tasks: createTaskService(transactions, outbox, auth.cursors),
  };
}
