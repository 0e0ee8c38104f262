// Where tests find the repository's own files and the fixtures kept with the tests.
import { fileURLToPath } from 'node:url';
export const REPO_DIR = fileURLToPath(new URL('..', import.meta.url));
/** Real objects with their real protobuf bytes, from kubernetes/api's testdata (see its README). */
export const FIXTURES_DIR = fileURLToPath(new URL('./fixtures/k8s-testdata', import.meta.url));
