// Errors that mean bad input (exit 2) rather than a failed simulation (exit 1).
export class UsageError extends Error {}

/** An input file (or standard input) that cannot be read or parsed. */
export class InputError extends Error {}

/**
 * Result files that could not be written after simulating (disk full, quota, a folder made read-only
 * meanwhile): exit 1, one line naming the file and the error. SPEC.md gives 1 to "the simulation
 * failed" and 2 to bad input and says nothing of write errors; the input was good, the run did not
 * deliver, so 1. (An --out that cannot be written at all is found before simulating: exit 2.)
 */
export class WriteError extends Error {}
