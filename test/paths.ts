// Where tests find the shared reference data and the repository's own files.
import { fileURLToPath } from 'node:url';
export const REPO_DIR = fileURLToPath(new URL('..', import.meta.url));
export const REFERENCE_DIR = fileURLToPath(new URL('../../shared/reference', import.meta.url));
export const FIXTURES_DIR = `${REFERENCE_DIR}/k8s-testdata`;
