// Errors that mean bad input (exit 2) rather than a failed simulation (exit 1).
export class UsageError extends Error {}

/** An input file (or standard input) that cannot be read or parsed. */
export class InputError extends Error {}
