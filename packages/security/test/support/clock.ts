// Rate-limit windows are aligned to the clock: with Date.now a test whose requests straddle a window's
// end sees its count start over. Stores in tests read this instant instead, 30 s into a 60 s window.
export const frozenClock = { now: (): number => 1_700_000_010_000 };
