// The signals that start a graceful shutdown, and the second one that cuts it short.
import { constants } from 'node:os';
import type { SignalSource } from './shutdown-options.js';

/** The exit code shells report for a death by `signal`: 128 + its number (130 SIGINT, 143 SIGTERM). */
export function signalExitCode(signal: NodeJS.Signals): number {
  return 128 + (constants.signals[signal] ?? 0);
}

/** Calls `onSignal` for each of `signals` from `source`; returns the function that stops listening. */
export function listenForSignals(
  source: SignalSource,
  signals: readonly NodeJS.Signals[],
  onSignal: (signal: NodeJS.Signals) => void,
): () => void {
  for (const signal of signals) source.on(signal, onSignal);
  return () => {
    for (const signal of signals) source.off(signal, onSignal);
  };
}
