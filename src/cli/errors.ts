// Errors that mean bad input (exit 2) rather than a failed simulation (exit 1).
export class UsageError extends Error {}
